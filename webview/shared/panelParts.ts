// Pieces the Training and Evaluation pages both show: the header (title, chips, path, status
// badge), cards, buttons and the error box. Styles: media/panels.css.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { el } from './dom';

export function button(label: string, id: string, onClick: () => void, secondary = false): HTMLElement {
  const b = el('vscode-button', { text: label, attrs: { id, ...(secondary ? { secondary: true } : {}) } });
  b.addEventListener('click', onClick);
  return b;
}

/** A card with a heading, a one-line caption and its content (a chart box, a table). */
export function card(heading: string, caption: string, content: HTMLElement): HTMLElement {
  return el('section', { class: 'pn-card' }, el('h2', { text: heading }), el('p', { class: 'pn-caption', text: caption }), content);
}

/** Chips naming a model's size: "d = 256", "2 layers", "4 heads". */
export function modelChips(model: { d: number; layers: number; heads: number; attention?: string }): string[] {
  return [`d = ${model.d}`, `${model.layers} layer${model.layers === 1 ? '' : 's'}`, `${model.heads} heads`, ...(model.attention ? [model.attention] : [])];
}

export interface HeaderContent {
  title: string;
  chips: string[];
  path: string;
  /** CSS modifier of the badge (the run's status). */
  status: string;
  statusText: string;
}

export function panelHeader(): { element: HTMLElement; show(content: HeaderContent): void } {
  const title = el('h1');
  const chips = el('p', { class: 'pn-chips' });
  const path = el('p', { class: 'pn-path' });
  const badge = el('span', { class: 'pn-badge', attrs: { id: 'status' } });
  return {
    element: el('header', { class: 'pn-header' }, el('div', {}, title, chips, path), badge),
    show(c) {
      title.textContent = c.title;
      chips.replaceChildren(...c.chips.map((t) => el('span', { class: 'pn-chip', text: t })));
      path.textContent = c.path;
      badge.className = `pn-badge ${c.status}`;
      badge.textContent = c.statusText;
    },
  };
}

/** The alert box under the status; hidden while there is no error. */
export function errorBox(): { element: HTMLElement; show(error: { title: string; message: string } | null): void } {
  const box = el('div', { class: 'pn-error', attrs: { id: 'error', role: 'alert' } });
  return {
    element: box,
    show(error) {
      box.replaceChildren(...(error ? [el('strong', { text: error.title }), el('span', { text: error.message })] : []));
      box.hidden = !error;
    },
  };
}

/** Puts `bar` (e.g. export links) beside the card's heading. */
export function withExports(section: HTMLElement, bar: HTMLElement): HTMLElement {
  const h2 = section.querySelector('h2')!;
  const head = el('div', { class: 'pn-card-head' });
  h2.replaceWith(head);
  head.append(h2, bar);
  return section;
}
