// One floating tooltip for the whole page (hover values of heat maps, strip cells, tables): the
// stepper's and the Evaluation panel's. Styles: media/looplens.css (.hover-tip).
import { el } from '../shared/dom';

export interface Tooltip {
  show(ev: MouseEvent, lines: string[]): void;
  hide(): void;
}

export function createTooltip(): Tooltip {
  const box = el('div', { class: 'hover-tip', attrs: { role: 'tooltip' } });
  box.hidden = true;
  document.body.append(box);
  return {
    show(ev, lines) {
      box.replaceChildren(...lines.map((l, i) => el('div', { class: i === 0 ? 'hover-tip-head' : '', text: l })));
      box.hidden = false;
      const pad = 12;
      const r = box.getBoundingClientRect();
      const x = ev.clientX + pad + r.width > window.innerWidth ? ev.clientX - pad - r.width : ev.clientX + pad;
      const y = ev.clientY + pad + r.height > window.innerHeight ? ev.clientY - pad - r.height : ev.clientY + pad;
      box.style.left = `${Math.max(0, x)}px`;
      box.style.top = `${Math.max(0, y)}px`;
    },
    hide() {
      box.hidden = true;
    },
  };
}
