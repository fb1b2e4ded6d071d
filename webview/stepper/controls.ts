// The step scrubber: first/prev/play/next/last, a slider, jumps to T(n) and the adaptive stop,
// the play speed, the layer whose attention is shown, and compact mode. Every control keeps its
// width when its label changes (Play/Pause, the step label), so nothing shifts while playing.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { setText } from './parts';

function button(label: string, title: string, onClick: () => void, secondary = true): HTMLElement {
  const b = el('vscode-button', { text: label, title, attrs: { secondary, 'aria-label': title } });
  b.addEventListener('click', onClick);
  return b;
}

/** Play speeds: milliseconds per step. */
export const PLAY_SPEEDS = [
  { ms: 1400, label: '0.5×' },
  { ms: 700, label: '1×' },
  { ms: 350, label: '2×' },
  { ms: 150, label: '5×' },
  { ms: 60, label: 'max' },
];

export function createControls(parent: HTMLElement, ctx: Ctx): View {
  const { vm, actions } = ctx;
  const T = vm.steps.length;
  let current = ctx;
  const step = () => current.ui.step;
  const play = button('▶ Play', 'Play through the steps (Space)', () => actions.togglePlay(), false);
  play.classList.add('st-play');
  const speed = el('select', { class: 'st-select', attrs: { 'aria-label': 'Play speed', title: 'Play speed (steps per second)', id: 'st-speed' } });
  for (const sp of PLAY_SPEEDS) speed.append(el('option', { text: sp.label, attrs: { value: sp.ms } }));
  speed.addEventListener('change', () => actions.patchUi({ playMs: Number(speed.value) }));
  const compact = el('input', { attrs: { type: 'checkbox', id: 'st-compact' } });
  compact.addEventListener('change', () => actions.patchUi({ compact: compact.checked }));
  const slider = el('input', { class: 'st-slider', attrs: { type: 'range', min: 1, max: T, step: 1, 'aria-label': 'Loop step' } });
  slider.addEventListener('input', () => actions.setStep(Number(slider.value)));
  const label = el('span', { class: 'st-step-label', attrs: { 'aria-live': 'polite' } });
  const jumps = el('span', { class: 'st-jumps' });
  const { oracleStep, adaptiveStep } = vm.halting;
  if (oracleStep !== null && oracleStep <= T) jumps.append(button(`T(n) = ${oracleStep}`, 'Jump to the oracle step T(n)', () => actions.setStep(oracleStep)));
  if (adaptiveStep !== null) jumps.append(button(`Stop = ${adaptiveStep}`, `Jump to where the adaptive rule stops (${vm.halting.rule})`, () => actions.setStep(adaptiveStep)));
  let layerPicker: HTMLElement;
  if (vm.model.layers > 1) {
    const select = el('vscode-single-select', { attrs: { 'aria-label': 'Layer' } }) as HTMLElement & { value: string };
    for (let l = 0; l < vm.model.layers; l++) select.append(el('vscode-option', { text: `Layer ${l + 1}`, attrs: { value: l } }));
    select.value = String(ctx.ui.layer);
    select.addEventListener('change', () => actions.setLayer(Number(select.value)));
    layerPicker = el('label', { class: 'st-layer' }, 'Attention:', select);
  } else {
    layerPicker = el('span', { class: 'st-layer muted', text: 'one layer' });
  }
  const bar = el(
    'nav',
    { class: 'st-controls', attrs: { 'aria-label': 'Loop step' } },
    button('«', 'First step (Home)', () => actions.setStep(1)),
    button('‹ Prev', 'Previous step (←)', () => actions.setStep(step() - 1)),
    play,
    speed,
    button('Next ›', 'Next step (→)', () => actions.setStep(step() + 1)),
    button('»', 'Last step (End)', () => actions.setStep(T)),
    slider,
    label,
    jumps,
    layerPicker,
    el('label', { class: 'st-tool st-check', title: 'Smaller maps, cells and fonts' }, compact, 'compact'),
  );
  parent.append(bar);
  const view: View = {
    update(c) {
      current = c;
      slider.value = String(c.ui.step);
      const tags = [c.ui.step === oracleStep ? 'T(n)' : '', c.ui.step === adaptiveStep ? 'adaptive stop' : ''].filter(Boolean).join(', ');
      setText(label, `Step ${c.ui.step} / ${T}${tags ? ` · ${tags}` : ''}`);
      setText(play, c.playing ? '▮▮ Pause' : '▶ Play');
      const ms = String(c.ui.playMs ?? 700);
      if (speed.value !== ms) speed.value = ms;
      compact.checked = c.ui.compact === true;
    },
  };
  view.update(ctx);
  return view;
}
