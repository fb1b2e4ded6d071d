// The Evaluation page: header, progress while it runs, the two charts and the table. The state is
// kept in vscode.setState so a finished evaluation redraws even after a window reload.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { isEvaluationViewState, type EvaluationToHost, type EvaluationToWebview, type EvaluationViewState } from '../../src/protocol/evaluation';
import { el } from '../stepper/dom';
import { fmt } from '../charts/format';
import { drawAccuracy, drawSteps } from './charts';
import { evaluationTable } from './table';
import { hostApi } from '../shared/vscodeApi';
import { CALIBRATION_EXAMPLES } from '../../src/core/infer/calibration';

const STATUS_TEXT: Record<EvaluationViewState['status'], string> = { running: 'Evaluating', finished: 'Finished', cancelled: 'Stopped', failed: 'Failed' };

function button(label: string, id: string, onClick: () => void, secondary = false): HTMLElement {
  const b = el('vscode-button', { text: label, attrs: { id, ...(secondary ? { secondary: true } : {}) } });
  b.addEventListener('click', onClick);
  return b;
}

export function startEvaluation(root: HTMLElement): void {
  const vscodeApi = hostApi<EvaluationToHost, EvaluationViewState>((saved) => (isEvaluationViewState(saved) ? saved : null));
  const post = vscodeApi.postMessage;
  let state: EvaluationViewState | null = vscodeApi.savedState();

  const title = el('h1');
  const chips = el('p', { class: 'pn-chips' });
  const paths = el('p', { class: 'pn-path' });
  const badge = el('span', { class: 'pn-badge', attrs: { id: 'status' } });
  const progress = el('vscode-progress-bar') as HTMLElement & { value?: number; max: number };
  const line = el('p', { class: 'pn-phase', attrs: { id: 'progress' } });
  const buttons = {
    cancel: button('Cancel', 'cancel', () => state?.status === 'running' && post({ type: 'cancel' }), true),
    rerun: button('Evaluate Again…', 'rerun', () => state?.status !== 'running' && post({ type: 'rerun' }), true),
    step: button('Step Through', 'step-through', () => post({ type: 'stepThrough' }), true),
  };
  const error = el('div', { class: 'pn-error', attrs: { id: 'error', role: 'alert' } });
  const accuracy = el('div', { attrs: { id: 'chart-accuracy' } });
  const steps = el('div', { attrs: { id: 'chart-steps' } });
  const tableBox = el('div');
  const note = el('p', { class: 'pn-note' });

  root.removeAttribute('aria-busy');
  root.replaceChildren(
    el('header', { class: 'pn-header' }, el('div', {}, title, chips, paths), badge),
    el('section', { class: 'pn-card pn-status' }, line, el('div', { class: 'pn-buttons' }, ...Object.values(buttons)), progress, error),
    el(
      'div',
      { class: 'pn-grid' },
      el('section', { class: 'pn-card' }, el('h2', { text: 'Accuracy vs length' }), el('p', { class: 'pn-caption', text: 'Exact match over every answer position, trailing pads included.' }), accuracy),
      el('section', { class: 'pn-card' }, el('h2', { text: 'Chosen number of loops' }), el('p', { class: 'pn-caption', text: 'Where each rule stopped, on average, against T(n).' }), steps),
    ),
    el('section', { class: 'pn-card' }, el('h2', { text: 'Results' }), tableBox, note),
  );

  const render = () => {
    const s = state;
    if (!s) return;
    const su = s.setup;
    title.textContent = `Length generalization · ${su.taskTitle}`;
    chips.replaceChildren(
      ...[su.modelName, `d = ${su.model.d}`, `${su.model.layers} layer${su.model.layers === 1 ? '' : 's'}`, `${su.model.heads} heads`, su.trainedWith, `${fmt.int(su.examples)} examples per length`, `seed ${su.seed}`].map((t) =>
        el('span', { class: 'pn-chip', text: t }),
      ),
    );
    paths.textContent = su.modelPath;
    badge.className = `pn-badge ${s.status}`;
    badge.textContent = STATUS_TEXT[s.status];
    const running = s.status === 'running';
    progress.hidden = !running;
    if (s.progress) {
      progress.max = s.progress.total;
      progress.value = s.progress.done;
    }
    line.textContent = running
      ? s.progress
        ? `Length ${s.progress.length}: batch ${s.progress.done} of ${s.progress.total}`
        : 'Loading the model…'
      : s.status === 'finished'
        ? `${s.rows.length} length${s.rows.length === 1 ? '' : 's'} × ${fmt.int(su.examples)} examples in ${fmt.duration(s.seconds)}.`
        : s.status === 'cancelled'
          ? `Stopped after ${s.rows.length} of ${su.lengths.length} lengths.`
          : 'The evaluation failed.';
    // disabled rather than hidden: the buttons keep their places while the run changes state
    buttons.cancel.toggleAttribute('disabled', !running);
    buttons.rerun.toggleAttribute('disabled', running);
    error.replaceChildren(...(s.error ? [el('strong', { text: 'Evaluation failed' }), el('span', { text: s.error })] : []));
    error.hidden = !s.error;
    drawAccuracy(accuracy, s);
    drawSteps(steps, s);
    tableBox.replaceChildren(evaluationTable(s));
    note.textContent =
      `Oracle: read the output after exactly ${su.oracleRule} loops. Adaptive (the paper's maximum-confidence rule): run up to T(n) + ${su.extraSteps} loops and stop at the step ` +
      `whose read-out is most confident (lowest mean −log max-probability over the answer positions), one step per batch of ${su.batchSize} examples of one length. ` +
      `Per example: the same choice made for each input alone${s.perExampleRule ? ` (${s.perExampleRule})` : ''}, as a user stepping one input would. ` +
      `Length-calibrated (the stop the stepper marks): the per-batch rule applied once to ${CALIBRATION_EXAMPLES} other random inputs of the same length, then used for every input of that length; it needs neither T(n) nor the other test inputs.`;
  };

  window.addEventListener('message', (e: MessageEvent<EvaluationToWebview>) => {
    if (e.data?.type !== 'state') return;
    state = e.data.state;
    vscodeApi.setState(state);
    render();
  });
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  new ResizeObserver(() => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(render, 100);
  }).observe(root);
  render();
  post({ type: 'ready' });
}
