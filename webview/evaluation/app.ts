// The Evaluation page: header, progress while it runs, the two charts, the accuracy at every loop
// step, each answer position's at every step, the case split (tasks that have one) and the table. The state is kept in vscode.setState so a finished evaluation redraws
// even after a window reload.
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { isEvaluationViewState, type EvaluationToHost, type EvaluationViewState } from '../../src/protocol/evaluation';
import { el } from '../shared/dom';
import { fmt } from '../shared/format';
import { drawAccuracy, drawSteps } from './charts';
import { evaluationTable } from './table';
import { caseView } from './caseTable';
import { stepChartView } from './stepChart';
import { positionMapView } from './positionMapView';
import { button, card, errorBox, modelChips, panelHeader, withExports } from '../shared/panelParts';
import { statePage } from '../shared/statePage';
import { exportBar, exportStatus, isExportResult, type ExportItem } from '../shared/exportBar';
import { chartImageItems } from '../charts/exportImage';

const STATUS_TEXT: Record<EvaluationViewState['status'], string> = { running: 'Evaluating', finished: 'Finished', cancelled: 'Stopped', failed: 'Failed' };

export function startEvaluation(root: HTMLElement): void {
  const page = statePage<EvaluationToHost, EvaluationViewState>((saved) => (isEvaluationViewState(saved) ? saved : null));
  const { post } = page;

  const header = panelHeader();
  const progress = el('vscode-progress-bar') as HTMLElement & { value?: number; max: number };
  const line = el('p', { class: 'pn-phase', attrs: { id: 'progress' } });
  const buttons = {
    cancel: button('Cancel', 'cancel', () => page.state()?.status === 'running' && post({ type: 'cancel' }), true),
    rerun: button('Evaluate Again…', 'rerun', () => page.state()?.status !== 'running' && post({ type: 'rerun' }), true),
    step: button('Step Through', 'step-through', () => post({ type: 'stepThrough' }), true),
    overlay: button('Overlay Another Model…', 'overlay', () => post({ type: 'overlay' }), true),
    clearOverlay: button('Remove Overlay', 'clear-overlay', () => post({ type: 'clearOverlay' }), true),
  };
  const status = exportStatus();
  window.addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
    if (isExportResult(e.data)) status.show(e.data);
  });
  /** A chart's export links: `data` (its numbers), then its SVG as drawn, or rasterised to PNG. */
  const chartExports = (box: HTMLElement, name: string, data: ExportItem[] = []) =>
    exportBar([...data, ...chartImageItems(box, () => `${page.state()?.setup.modelName.replace(/\.onnx$/, '') ?? 'evaluation'}-${name}`, (n, format, d) => post({ type: 'exportImage', name: n, format, data: d }))], status);
  const error = errorBox();
  const accuracy = el('div', { attrs: { id: 'chart-accuracy' } });
  const steps = el('div', { attrs: { id: 'chart-steps' } });
  const tableBox = el('div');
  const stepData: ExportItem[] = [
    { label: 'CSV', title: 'Every model’s lengths and loop steps with the exact match and the confidence score at each, T(n) and the paper rule’s step flagged', run: () => post({ type: 'exportData', table: 'steps', format: 'csv' }) },
    { label: 'JSON', title: 'The same as JSON records', run: () => post({ type: 'exportData', table: 'steps', format: 'json' }) },
  ];
  const stepCharts = stepChartView((box, name, first) => chartExports(box, name, first ? stepData : []));
  const positionMaps = positionMapView({
    bar: (items) => exportBar(items, status),
    data: (format) => post({ type: 'exportData', table: 'positions', format }),
    image: (name, format, data) => post({ type: 'exportImage', name, format, data }),
  });
  const cases = caseView((section) =>
    withExports(
      section,
      exportBar(
        [
          { label: 'CSV', title: 'Every model’s lengths and cases with their examples, and right answers, exact match and 95% interval under the oracle, the paper rule and the per-example rule', run: () => post({ type: 'exportData', table: 'cases', format: 'csv' }) },
          { label: 'JSON', title: 'The same as JSON records', run: () => post({ type: 'exportData', table: 'cases', format: 'json' }) },
        ],
        status,
      ),
    ),
  );
  const note = el('p', { class: 'pn-note' });

  root.removeAttribute('aria-busy');
  root.replaceChildren(
    header.element,
    el('section', { class: 'pn-card pn-status' }, line, el('div', { class: 'pn-buttons' }, ...Object.values(buttons)), progress, error.element),
    el(
      'div',
      { class: 'pn-grid' },
      withExports(card('Accuracy vs length', 'Exact match over every answer position, trailing pads included; bars: 95% confidence intervals (Wilson). Click a length to open an example it gets wrong in the stepper.', accuracy), chartExports(accuracy, 'accuracy')),
      withExports(card('Chosen number of loops', 'Where each rule stopped, on average, against T(n) (with an overlay, both models).', steps), chartExports(steps, 'steps')),
    ),
    // where each length's answer forms and how long it holds, where in the answer it fails, then which inputs it is made of (tasks with Task.cases)
    stepCharts.element,
    positionMaps.element,
    cases.element,
    withExports(
      el('section', { class: 'pn-card' }, el('h2', { text: 'Results' }), tableBox, note),
      exportBar(
        [
          { label: 'CSV', title: 'Every length (and the overlaid model) with each rule’s accuracy, its 95% interval and mean step', run: () => post({ type: 'exportData', table: 'results', format: 'csv' }) },
          { label: 'JSON', title: 'The same as JSON records', run: () => post({ type: 'exportData', table: 'results', format: 'json' }) },
        ],
        status,
      ),
    ),
    status.element,
  );

  page.start(root, (s) => {
    const su = s.setup;
    header.show({
      title: `Length generalization · ${su.taskTitle}`,
      chips: [su.modelName, ...modelChips(su.model), su.trainedWith, `${fmt.int(su.examples)} examples per length`, `seed ${su.seed}`],
      path: su.modelPath,
      status: s.status,
      statusText: STATUS_TEXT[s.status],
    });
    const running = s.status === 'running';
    progress.hidden = !running;
    if (s.progress) {
      progress.max = s.progress.total;
      progress.value = s.progress.done;
    }
    const eta = s.progress?.etaSeconds;
    const estimate = s.estimateSeconds !== null && s.estimateSeconds !== undefined ? ` (estimated ${fmt.duration(s.estimateSeconds)} before starting)` : '';
    line.textContent = running
      ? s.progress
        ? `Length ${s.progress.length}: batch ${s.progress.done} of ${s.progress.total}${eta !== null && eta !== undefined ? ` · about ${fmt.duration(eta)} left` : ''}${estimate}`
        : `Loading the model…${estimate}`
      : s.status === 'finished'
        ? `${s.rows.length} length${s.rows.length === 1 ? '' : 's'} × ${fmt.int(su.examples)} examples in ${fmt.duration(s.seconds)}.`
        : s.status === 'cancelled'
          ? `Stopped after ${s.rows.length} of ${su.lengths.length} lengths.`
          : 'The evaluation failed.';
    // disabled rather than hidden: the buttons keep their places while the run changes state
    buttons.cancel.toggleAttribute('disabled', !running);
    buttons.rerun.toggleAttribute('disabled', running);
    buttons.clearOverlay.hidden = !s.overlay;
    if (s.overlay) {
      const o = s.overlay;
      const what = o.status === 'running' ? (o.progress ? `length ${o.progress.length}, batch ${o.progress.done} of ${o.progress.total}` : 'loading') : o.status === 'failed' ? `failed: ${o.error ?? 'unknown error'}` : o.status === 'cancelled' ? 'stopped' : 'finished';
      line.textContent += ` · Overlay ${o.modelName}: ${what}.`;
    }
    error.show(s.error ? { title: 'Evaluation failed', message: s.error } : null);
    drawAccuracy(accuracy, s, (length) => post({ type: 'openExample', length }));
    drawSteps(steps, s);
    stepCharts.show(s);
    positionMaps.show(s);
    cases.show(s);
    tableBox.replaceChildren(evaluationTable(s, (length) => post({ type: 'openExample', length })));
    note.textContent =
      `Oracle: read the output after exactly ${su.oracleRule} loops. Adaptive (the paper's maximum-confidence rule): run up to T(n) + ${su.extraSteps} loops and stop at the step ` +
      `whose read-out is most confident (lowest mean −log max-probability over the answer positions), one step for all the test examples of a length, as the paper's code scores them. ` +
      `Per example: the same choice made for each input alone${s.perExampleRule ? ` (${s.perExampleRule})` : ''}, as a user stepping one input would. ` +
      `Length-calibrated (the stop the stepper marks): the paper's rule applied once to ${su.calibrationExamples} other random inputs of the same length, then used for every input of that length; it needs neither T(n) nor the other test inputs.`;
  });
}

