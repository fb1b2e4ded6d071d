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
