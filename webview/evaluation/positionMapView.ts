// The "Answer positions at every loop step" card(s): a length picker and, for the picked length, a
// heat map of each answer position's accuracy (columns +0, +1, …) at every loop step (rows), T(n)
// and the paper rule's step framed and labelled, a read-out on hover and a line per marked step
// under it (positionMaps.ts says what). With an overlay whose state keeps curves, its own map of the
// same length follows. Drawn with the panels' heat grid (webview/charts/heatGrid.ts) in the theme's
// colours; the picked length is kept across redraws.
import type { EvaluationViewState } from '../../src/protocol/evaluation';
import { createHeatGrid, type StepMark } from '../charts/heatGrid';
import { gradientLegend } from '../charts/gradientLegend';
import { svgTextPngBase64 } from '../charts/exportImage';
import { palette } from '../charts/theme';
import { el } from '../shared/dom';
import type { ExportItem } from '../shared/exportBar';
import { card, withExports } from '../shared/panelParts';
import { watchPixelRatio } from '../shared/pixelRatio';
import { createTooltip, type Tooltip } from '../shared/tooltip';
import { cellTooltip, lengthText, pickLength, positionLengths, positionMapContent, type PositionMap, type PositionMapContent } from './positionMaps';

const HEADING = 'Answer positions at every loop step';
const CAPTION =
  'The exact match of each answer position (+0 is the ‘=’ position, where the answer’s first token is read; then the rest of the answer and its trailing pads) after every loop step, up to T(n) plus the adaptive rules’ extra steps, for the length picked: where in the answer the model fails, and when each slot forms. Dashed frame: T(n); solid: the step the paper’s rule picks. Hover a cell for its accuracy.';

export interface PositionMapExports {
  /** The export links of a card. */
  bar(items: ExportItem[]): HTMLElement;
  /** Saves the 'positions' table (every model, every length). */
  data(format: 'csv' | 'json'): void;
  image(name: string, format: 'png' | 'svg', data: string): void;
}

const themeColor = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

/** T(n) dashed yellow, the paper rule's step solid purple (as the stepper marks T(n) and its stop); both on one step: the two dashes alternate. */
function stepMarks(map: PositionMap): StepMark[] {
  const yellow = themeColor('--vscode-charts-yellow', '#cca700');
  const purple = themeColor('--vscode-charts-purple', '#b180d7');
  return map.marks.flatMap((m): StepMark[] =>
    m.kind === 'oracle'
      ? [{ step: m.step, color: yellow, dash: [4, 3], style: 'frame', label: m.label }]
      : m.kind === 'paper'
        ? [{ step: m.step, color: purple, dash: [], style: 'frame', label: m.label }]
        : [
            { step: m.step, color: purple, dash: [], style: 'frame', label: m.label },
            { step: m.step, color: yellow, dash: [4, 3], style: 'frame' },
          ],
  );
}

/** One button per length, one of them checked: a radio group (arrow keys move the choice, Tab leaves it). */
function lengthPicker(onPick: (length: number) => void) {
  const group = el('div', { class: 'pn-lengths', attrs: { role: 'radiogroup', 'aria-label': 'Test length of the maps', id: 'positions-lengths' } });
  let shown = '';
  const buttons = () => [...group.querySelectorAll<HTMLButtonElement>('button')];
  group.addEventListener('keydown', (ev) => {
    const all = buttons();
    const at = all.findIndex((b) => b === document.activeElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[ev.key];
    if (next === undefined) return;
    ev.preventDefault();
    const b = all[(next + all.length) % all.length]!;
    b.focus();
    onPick(Number(b.dataset.length));
  });
  return {
    element: group,
    show(lengths: { length: number; label: string }[], picked: number | null) {
      const key = lengths.map((l) => l.label).join('|');
      if (key !== shown) {
        shown = key;
        group.replaceChildren(
          ...lengths.map((l) => {
            const b = el('button', { class: 'pn-length', text: l.label, attrs: { type: 'button', role: 'radio', 'data-length': l.length } });
            b.addEventListener('click', () => onPick(l.length));
            return b;
          }),
        );
      }
      for (const b of buttons()) {
        const on = Number(b.dataset.length) === picked;
        b.setAttribute('aria-checked', String(on));
        b.tabIndex = on ? 0 : -1;
      }
      group.hidden = lengths.length === 0;
    },
  };
}

/** The marked steps' key under a map. */
function markKey(): HTMLElement {
  const key = (cls: string, text: string) => el('span', { class: 'pn-mark-key' }, el('span', { class: `pn-mark-swatch ${cls}` }), text);
  return el('span', { class: 'pn-mark-keys' }, key('oracle', 'T(n): the step the oracle reads'), key('paper', "the step the paper's rule picks for the length"));
}

/** One model's card; `id` names its map box (#positions-map…), `exports` gives its export links. */
function mapCard(id: string, caption: string, tip: Tooltip, exports: (svg: () => string, name: () => string) => HTMLElement, top?: HTMLElement) {
  const grid = createHeatGrid({ ariaLabel: 'Accuracy of each answer position at every loop step', maxHeight: 360, minCell: 6 });
  grid.element.id = id;
  const scroll = el('div', { class: 'pn-table-box' }, grid.element);
  const empty = el('p', { class: 'pn-empty' });
  const legend = el('div', { class: 'pn-map-legend' });
  const summary = el('ul', { class: 'pn-step-summary', attrs: { 'aria-label': 'Which answer positions are right at T(n) and at the paper rule\'s step' } });
  let map: PositionMap | null = null;
  const svg = () => {
    if (!map) throw new Error('no map is drawn');
    return grid.svg(`${map.modelName} · ${map.label} · accuracy of each answer position at every loop step`, 'answer position');
  };
  const name = () => `${map?.modelName.replace(/\.onnx$/, '') ?? 'evaluation'}-positions-${map?.label.replace(/\W+/g, '') ?? ''}`;
  const section = withExports(card(HEADING, caption, el('div', {}, ...(top ? [top] : []), scroll, empty, legend, summary)), exports(svg, name));
  section.id = `eval-${id.replace(/-map/, '')}`;
  return {
    section,
    show(c: PositionMapContent, modelName: string, named: boolean) {
      section.querySelector('h2')!.textContent = named ? `${HEADING} · ${c.map?.modelName ?? modelName}` : HEADING;
      map = c.map;
      scroll.hidden = !c.map;
      empty.hidden = !!c.map;
      empty.textContent = c.empty ?? '';
      if (!c.map) {
        legend.replaceChildren();
        summary.replaceChildren();
        return;
      }
      const m = c.map;
      const p = palette();
      grid.element.setAttribute('aria-label', m.ariaLabel);
      grid.draw({
        rows: m.steps,
        columns: m.positions,
        value: (t, k) => m.cells[t - 1]![k]!,
        tooltip: (t, k) => cellTooltip(m, t, k),
        columnLabel: (k) => m.columnLabels[k]!,
        stepMarks: stepMarks(m),
        selected: null,
        palette: p,
        tip,
      });
      legend.replaceChildren(gradientLegend(p, 'accuracy', [0, 0.5, 1], (v) => `${Math.round(v * 100)}%`), markKey());
      summary.replaceChildren(...m.summaries.map((line) => el('li', { text: `${m.label}: ${line}` })));
    },
  };
}

/**
 * The first model's card, then an overlay's when it has curves (its card leaves the page
 * otherwise), both at the length picked in the first card.
 */
export function positionMapView(exports: PositionMapExports): { element: HTMLElement; show(s: EvaluationViewState): void } {
  const tip = createTooltip();
  let picked: number | null = null;
  let last: EvaluationViewState | null = null;
  const redraw = () => last && show(last);
  const picker = lengthPicker((length) => {
    if (length === picked) return;
    picked = length;
    redraw();
  });
  const images = (svg: () => string, name: () => string): ExportItem[] => [
    { label: 'PNG', title: 'This map as a PNG image', run: async () => exports.image(name(), 'png', await svgTextPngBase64(svg())) },
    { label: 'SVG', title: 'This map as an SVG image', run: () => exports.image(name(), 'svg', svg()) },
  ];
  const first = mapCard('positions-map', CAPTION, tip, (svg, name) =>
    exports.bar([
      { label: 'CSV', title: 'Every model’s lengths, loop steps and answer positions (+k as k) with the accuracy of each', run: () => exports.data('csv') },
      { label: 'JSON', title: 'The same as JSON records', run: () => exports.data('json') },
      ...images(svg, name),
    ]),
    picker.element,
  );
  const overlay = mapCard('positions-map-overlay', 'The overlaid model’s, at the same length (its numbers are in the CSV and JSON above).', tip, (svg, name) => exports.bar(images(svg, name)));
  const slot = el('div');

  function show(s: EvaluationViewState): void {
    last = s;
    const offered = positionLengths(s);
    picked = pickLength(offered, picked);
    picker.show(offered.map((length) => ({ length, label: lengthText(s, length) })), picked);
    first.show(positionMapContent(s, 'first', picked)!, s.setup.modelName, !!s.overlay);
    const o = positionMapContent(s, 'overlay', picked);
    if (!o) {
      slot.replaceChildren();
      return;
    }
    if (slot.firstChild !== overlay.section) slot.replaceChildren(overlay.section);
    overlay.show(o, s.overlay!.modelName, true);
  }

  // the maps are painted in the theme's colours: a new theme or pixel ratio repaints them
  new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  watchPixelRatio(redraw);
  return { element: el('div', {}, first.section, slot), show };
}
