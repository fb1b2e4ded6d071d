// The stepper page: receives view models and attention slices from the host, keeps the UI state
// (persisted with vscode.setState so a hidden-then-shown panel comes back where it was), and
// drives the view modules. A step change updates only what depends on the step; a new view
// model, theme, size or compact mode redraws everything (Ctx.layout). Cards out of view catch up
// in idle time (viewScheduler.ts).
import type { StepperToHost, StepperToWebview, StepperUiState, StepperViewModel } from '../../src/protocol/stepper';
import { AttentionCache } from './attentionCache';
import { initialStep, type Actions, type Ctx, type View } from './context';
import { el } from '../shared/dom';
import { exportStatus, isExportResult } from '../shared/exportBar';
import { createHeader, type HeaderView } from './header';
import { createControls } from './controls';
import { createStrip } from './strip';
import { createStateTable } from './stateTable';
import { createAttentionView } from './attentionView';
import { createLensView } from './lensView';
import { createHiddenView } from './hiddenView';
import { createProgramSource, type ProgramSourceView } from './programSource';
import { createCompareSection, createHeadSelectorCard } from './compareSection';
import { installKeyboard } from './keyboard';
import { palette, type Palette } from '../charts/theme';
import { createTooltip } from '../shared/tooltip';
import { hostApi } from '../shared/vscodeApi';
import { scheduleViews, type ViewScheduler } from './viewScheduler';
import { watchPixelRatio } from '../shared/pixelRatio';

const PLAY_MS = 700;
const RESIZE_REDRAW_MS = 120;

/** Runs a view's update; while scripts/measure-redraw.ts profiles the page, adds its time under the view's name. */
function profiled(names: Map<View, string>): (view: View, update: () => void) => void {
  return (view, update) => {
    const prof = (window as unknown as { __looplensProfile?: Record<string, number> }).__looplensProfile;
    if (!prof) return update();
    const t0 = performance.now();
    update();
    const k = names.get(view) ?? '?';
    prof[k] = (prof[k] ?? 0) + performance.now() - t0;
  };
}

/** The step/layer an earlier load saved; a missing focus or origin means none. */
function savedUi(saved: unknown): StepperUiState | null {
  const s = saved as Partial<StepperUiState> | undefined;
  if (!s || typeof s.step !== 'number' || typeof s.layer !== 'number') return null;
  return { ...s, step: s.step, layer: s.layer, focusHead: typeof s.focusHead === 'number' ? s.focusHead : null, origin: s.origin ?? null };
}

export function startStepper(root: HTMLElement): void {
  const tooltip = createTooltip();
  const vscodeApi = hostApi<StepperToHost, StepperUiState>(savedUi);
  const post = vscodeApi.postMessage;
  let vm: StepperViewModel | null = null;
  let ui: StepperUiState = vscodeApi.savedState() ?? { step: 1, layer: 0, focusHead: null, origin: null };
  let playing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attention: AttentionCache | null = null;
  let scheduler: ViewScheduler | null = null;
  let views: View[] = [];
  let attentionView: View | null = null;
  let header: HeaderView | null = null;
  let program: ProgramSourceView | null = null;
  let pal: Palette = palette();
  let layout = 0;
  const status = exportStatus();

  const ctx = (): Ctx => ({ vm: vm!, ui, playing, attention: attention!, tooltip, palette: pal, actions, layout });
  const refresh = () => {
    if (!vm) return;
    vscodeApi.setState(ui);
    root.classList.toggle('st-compact', ui.compact === true);
    scheduler?.run();
  };
  /** Everything redraws: a new theme, size or compact mode. */
  const relayout = () => {
    pal = palette();
    layout++;
    refresh();
  };
  const stop = () => {
    playing = false;
    clearTimeout(timer);
  };
  const tick = () => {
    if (!vm || !playing) return;
    if (ui.step >= vm.steps.length) {
      stop();
      refresh();
      return;
    }
    actions.setStep(ui.step + 1);
    timer = setTimeout(tick, ui.playMs ?? PLAY_MS);
  };
  const actions: Actions = {
    setStep(step) {
      if (!vm) return;
      const s = Math.max(1, Math.min(vm.steps.length, Math.round(step)));
      if (s === ui.step) return;
      ui = { ...ui, step: s };
      refresh();
      post({ type: 'stepChanged', step: s });
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
        timer = setTimeout(tick, ui.playMs ?? PLAY_MS);
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
    patchUi(patch) {
      const compactChanged = patch.compact !== undefined && patch.compact !== (ui.compact === true);
      ui = { ...ui, ...patch };
      if (compactChanged) relayout();
      else refresh();
    },
    exportData(table, format) {
      post({ type: 'exportData', table, format, step: ui.step, layer: ui.layer });
    },
    exportImage(name, format, data) {
      post({ type: 'exportImage', name, format, data });
    },
  };

  function show(next: StepperViewModel): void {
    stop();
    const sameOrigin = ui.origin !== null && ui.origin.modelPath === next.origin.modelPath && ui.origin.inputText === next.origin.inputText;
    vm = next;
    ui = sameOrigin
      ? { ...ui, step: Math.min(Math.max(1, ui.step), next.steps.length), layer: Math.min(ui.layer, next.model.layers - 1), enlargedHead: ui.enlargedHead !== undefined && ui.enlargedHead !== null && ui.enlargedHead < next.model.heads ? ui.enlargedHead : null }
      : { step: initialStep(next), layer: 0, focusHead: null, origin: next.origin, scale: ui.scale, compact: ui.compact, playMs: ui.playMs, sortHeads: ui.sortHeads };
    attention = new AttentionCache(post, next.steps.length);
    pal = palette();
    layout++;
    root.removeAttribute('aria-busy');
    // the old views go first: their observers must not redraw into detached cards
    scheduler?.dispose();
    views.forEach((v) => v.dispose?.());
    root.replaceChildren();
    root.classList.toggle('st-compact', ui.compact === true);
    const c = ctx();
    header = createHeader(root, c);
    root.append(status.element);
    const controls = createControls(root, c);
    const stripCard = el('section', { class: 'st-card st-strip-card', attrs: { 'aria-label': 'Loop iterations' } });
    root.append(stripCard);
    const strip = createStrip(stripCard, c);
    const state = createStateTable(root, c);
    attentionView = createAttentionView(root, c);
    const lens = createLensView(root, c);
    const hidden = createHiddenView(root, c);
    const columns = el('div', { class: 'st-columns' });
    root.append(columns);
    program = createProgramSource(columns, c);
    const side = el('div', { class: 'st-side' });
    columns.append(side);
    const matching = createHeadSelectorCard(side, c);
    const compare = createCompareSection(root, c);
    if (next.notes.length) root.append(el('ul', { class: 'st-notes' }, ...next.notes.map((n) => el('li', { text: n }))));
    const named = new Map<View, string>([[header, 'header'], [controls, 'controls'], [strip, 'strip'], [state, 'state'], [attentionView, 'attention'], [lens, 'lens'], [hidden, 'hidden'], [program, 'program'], [matching, 'matching'], [compare, 'compare']]);
    views = [...named.keys()];
    scheduler = scheduleViews(views, ctx, profiled(named));
    refresh();
  }

  window.addEventListener('message', (e: MessageEvent<StepperToWebview>) => {
    const m = e.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'viewModel') show(m.viewModel);
    else if (m.type === 'attention') {
      attention?.receive(m.step, m.layer, m.data);
      if (vm && m.step === ui.step && m.layer === ui.layer) attentionView?.update(ctx());
    } else if (m.type === 'error') {
      if (header) header.setStatus('error', m.message);
      else root.replaceChildren(el('p', { class: 'st-error', text: m.message }));
    } else if (m.type === 'showStep') {
      // the debugger moved: follow it without answering (no stepChanged back)
      if (!vm) return;
      const s = Math.max(1, Math.min(vm.steps.length, Math.round(m.step)));
      if (s === ui.step) return;
      stop();
      ui = { ...ui, step: s };
      refresh();
    } else if (isExportResult(m)) status.show(m);
  });
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  const relayoutSoon = () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(relayout, RESIZE_REDRAW_MS);
  };
  let lastWidth = window.innerWidth;
  window.addEventListener('resize', () => {
    if (window.innerWidth === lastWidth) return;
    lastWidth = window.innerWidth;
    relayoutSoon();
  });
  // another monitor or zoom: every canvas is backed at the old ratio (a zoom also resizes: one redraw)
  watchPixelRatio(relayoutSoon);
  // VS Code changes the theme by rewriting the body's class and style: redraw with its colours
  new MutationObserver(() => {
    if (vm) relayout();
  }).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  installKeyboard(() => (vm ? ui.step : null), () => vm?.steps.length ?? 1, () => (vm ? actions : null));
  post({ type: 'ready' });
}
