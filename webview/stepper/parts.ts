// The stepper's titled cards and number formats (its styles: media/stepper.css).
import { el, type Child } from '../shared/dom';

export function section(title: string, cls: string, ...children: Child[]): HTMLElement {
  return el('section', { class: `st-card ${cls}` }, el('h2', { text: title }), ...children);
}

export const fmt = {
  pct: (x: number) => `${(100 * x).toFixed(x === 1 || x === 0 ? 0 : 1)}%`,
  p3: (x: number) => x.toFixed(3),
  p2: (x: number) => x.toFixed(2),
};

/** Writes text only when it differs: an unchanged write still replaces the text node and costs a layout. */
export function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}
