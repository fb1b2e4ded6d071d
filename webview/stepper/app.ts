// The stepper page: receives view models and attention slices from the host, keeps the UI state
// (persisted with vscode.setState so a hidden-then-shown panel comes back where it was), and
// drives the view modules.
import type { StepperToHost, StepperToWebview, StepperUiState, StepperViewModel } from '../../src/protocol/stepper';
import { AttentionCache } from './attentionCache';
import { initialStep, type Actions, type Ctx, type View } from './context';
import { el } from '../shared/dom';
import { createHeader, type HeaderView } from './header';
import { createControls } from './controls';
import { createStrip } from './strip';
import { createStateTable } from './stateTable';
import { createHeatmaps } from './heatmaps';
import { createProgramSource, type ProgramSourceView } from './programSource';
import { createCompareSection, createHeadSelectorCard } from './compareSection';
import { installKeyboard } from './keyboard';
import { palette } from './theme';
import { createTooltip } from './tooltip';
import { hostApi } from '../shared/vscodeApi';

const PLAY_MS = 700;

/** The step/layer an earlier load saved; a missing focus or origin means none. */
function savedUi(saved: unknown): StepperUiState | null {
  const s = saved as Partial<StepperUiState> | undefined;
  if (!s || typeof s.step !== 'number' || typeof s.layer !== 'number') return null;
  return { step: s.step, layer: s.layer, focusHead: typeof s.focusHead === 'number' ? s.focusHead : null, origin: s.origin ?? null };
}

export function startStepper(root: HTMLElement): void {
  const tooltip = createTooltip();
  const vscodeApi = hostApi<StepperToHost, StepperUiState>(savedUi);
  const post = vscodeApi.postMessage;
  let vm: StepperViewModel | null = null;
  let ui: StepperUiState = vscodeApi.savedState() ?? { step: 1, layer: 0, focusHead: null, origin: null };
  let playing = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let attention: AttentionCache | null = null;
  let views: View[] = [];
  let heatmaps: View | null = null;
  let header: HeaderView | null = null;
  let program: ProgramSourceView | null = null;

  const ctx = (): Ctx => ({ vm: vm!, ui, playing, attention: attention!, tooltip, palette: palette(), actions });
  const refresh = () => {
    if (!vm) return;
    vscodeApi.setState(ui);
    const c = ctx();
    views.forEach((v) => v.update(c));
  };
  const stop = () => {
    playing = false;
    clearInterval(timer);
  };
  const actions: Actions = {
    setStep(step) {
      if (!vm) return;
      const s = Math.max(1, Math.min(vm.steps.length, Math.round(step)));
      if (s === ui.step) return;
      ui = { ...ui, step: s };
      refresh();
    },
    setLayer(layer) {
      if (!vm || layer === ui.layer || layer < 0 || layer >= vm.model.layers) return;
      ui = { ...ui, layer };
      refresh();
    },
    focusHead(head) {
      ui = { ...ui, focusHead: head };
      refresh();
    },
    togglePlay() {
      if (!vm) return;
      if (playing) {
        stop();
      } else {
        if (ui.step >= vm.steps.length) ui = { ...ui, step: 1 };
        playing = true;
        timer = setInterval(() => {
          if (!vm || ui.step >= vm.steps.length) {
            stop();
            refresh();
          } else actions.setStep(ui.step + 1);
        }, PLAY_MS);
      }
      refresh();
    },
    setInput(text) {
      stop();
      header?.setStatus('busy', 'Tracing…');
      post({ type: 'setInput', text });
    },
    openProgram(line) {
      if (vm?.program) post({ type: 'openProgram', file: vm.program.file, line });
    },
    highlightLine(line) {
      program?.highlight(line);
    },
  };

  function show(next: StepperViewModel): void {
    stop();
    const sameOrigin = ui.origin !== null && ui.origin.modelPath === next.origin.modelPath && ui.origin.inputText === next.origin.inputText;
    vm = next;
    ui = sameOrigin
      ? { ...ui, step: Math.min(Math.max(1, ui.step), next.steps.length), layer: Math.min(ui.layer, next.model.layers - 1) }
      : { step: initialStep(next), layer: 0, focusHead: null, origin: next.origin };
    attention = new AttentionCache(post, next.steps.length);
    root.removeAttribute('aria-busy');
    root.replaceChildren();
    const c = ctx();
    header = createHeader(root, c);
    const controls = createControls(root, c);
    const stripCard = el('section', { class: 'st-card st-strip-card', attrs: { 'aria-label': 'Loop iterations' } });
    root.append(stripCard);
    const strip = createStrip(stripCard, c);
    const state = createStateTable(root);
    const columns = el('div', { class: 'st-columns' });
    root.append(columns);
    heatmaps = createHeatmaps(columns);
    const side = el('div', { class: 'st-side' });
    columns.append(side);
    program = createProgramSource(side, c);
    const matching = createHeadSelectorCard(side, c);
    const compare = createCompareSection(root, c);
    if (next.notes.length) root.append(el('ul', { class: 'st-notes' }, ...next.notes.map((n) => el('li', { text: n }))));
    views = [header, controls, strip, state, heatmaps, program, matching, compare];
    refresh();
  }

  window.addEventListener('message', (e: MessageEvent<StepperToWebview>) => {
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'viewModel') show(m.viewModel);
    else if (m.type === 'attention') {
      attention?.receive(m.step, m.layer, m.data);
      if (vm && m.step === ui.step && m.layer === ui.layer) heatmaps?.update(ctx());
    } else if (m.type === 'error') {
      if (header) header.setStatus('error', m.message);
      else root.replaceChildren(el('p', { class: 'st-error', text: m.message }));
    }
  });
  installKeyboard(() => (vm ? ui.step : null), () => vm?.steps.length ?? 1, () => (vm ? actions : null));
  post({ type: 'ready' });
}
