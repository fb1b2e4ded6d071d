// The Training page: draws the state the host sends (header, run status with its buttons, the four
// charts, the final evaluation) and keeps the last state in vscode.setState so it redraws at once
// when the panel is shown again.
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import { canExportCheckpoint, isTrainingViewState, type TrainingSetup, type TrainingToHost, type TrainingViewState } from '../../src/protocol/training';
import { el } from '../shared/dom';
import { fmt } from '../shared/format';
import { drawTrainingCharts, type TrainingChartBoxes } from './charts';
import { finalEvaluation } from './finalTable';
import { keptBranches } from './branchTable';
import { averageChip, curriculumChip, distinctShareChip, forkedFromChip, hardShareChip, startedFromChip, weightDecayChip } from './recipeChips';
import { button, card, errorBox, modelChips, panelHeader, withExports } from '../shared/panelParts';
import { exportBar, exportStatus, isExportResult, type ExportItem } from '../shared/exportBar';
import { chartImageItems } from '../charts/exportImage';
import { statePage } from '../shared/statePage';

const STATUS_TEXT: Record<TrainingViewState['status'], string> = {
  starting: 'Starting',
  running: 'Training',
  cancelling: 'Stopping',
  cancelled: 'Stopped',
  finished: 'Finished',
  failed: 'Failed',
};

const PHASE_TEXT: Record<TrainingViewState['phase'], string> = {
  starting: 'Starting the training process…',
  compiling: 'Building the training graph…',
  training: 'Training',
  evaluating: 'Quick evaluation…',
  checkpointing: 'Writing a checkpoint…',
  'final-eval': 'Evaluating the trained model…',
  saving: 'Saving the model file…',
  done: '',
};

/** The loss card's caption: how the run reads its examples (the depth rule, the input injection). */
function lossCaption(su: TrainingSetup): string {
  // a state saved before the setup said how it loops (an ablation then looked like any run): no claim
  return su.loopText ? `Cross-entropy on the answer positions (${su.loopText}). Log scale.` : 'Cross-entropy on the answer positions. Log scale.';
}

/** The schedule card's caption: the run's own schedule, where its cosine ends included. */
function scheduleCaption(su: TrainingSetup): string {
  return su.scheduleText ? `Learning rate ${su.scheduleText}; the curriculum's longest training length on the right axis.` : 'Constant while the training lengths grow, then a cosine decay.';
}

function stat(label: string): { box: HTMLElement; value: HTMLElement } {
  const value = el('dd', { text: '–' });
  return { box: el('div', { class: 'pn-stat' }, el('dt', { text: label }), value), value };
}

export function startTraining(root: HTMLElement): void {
  const page = statePage<TrainingToHost, TrainingViewState>((saved) => (isTrainingViewState(saved) ? saved : null));
  const { post } = page;

  const header = panelHeader();
  const progress = el('vscode-progress-bar') as HTMLElement & { value?: number; max: number; indeterminate: boolean };
  const stats = { step: stat('step'), loss: stat('loss'), grad: stat('grad norm'), lr: stat('learning rate'), len: stat('lengths'), elapsed: stat('elapsed'), eta: stat('remaining'), speed: stat('ms / step') };
  const phase = el('p', { class: 'pn-phase', attrs: { id: 'phase' } });
  // Cancel and Resume keep their places (one is disabled, not hidden), so a double click on one
  // never lands on the other when the run changes state under the pointer.
  const buttons = {
    cancel: button('Cancel', 'cancel', () => page.state()?.actions.cancel && post({ type: 'cancel' }), true),
    resume: button('Resume', 'resume', () => page.state()?.actions.resume && post({ type: 'resume' })),
    // the run's last checkpoint as a model, to open or evaluate without stopping or resuming
    exportCheckpoint: button('Save Checkpoint as Model', 'export-checkpoint', () => post({ type: 'exportCheckpoint' }), true),
    open: button('Open Model', 'open-model', () => post({ type: 'openModel' })),
    step: button('Step Through', 'step-through', () => post({ type: 'stepThrough' }), true),
    evaluate: button('Evaluate', 'evaluate', () => post({ type: 'evaluate' }), true),
  };
  const hint = el('p', { class: 'pn-hint', attrs: { id: 'hint' } });
  const error = errorBox();
  const boxes: TrainingChartBoxes = { loss: el('div', { attrs: { id: 'chart-loss' } }), gradNorm: el('div', { attrs: { id: 'chart-grad' } }), schedule: el('div', { attrs: { id: 'chart-schedule' } }), accuracy: el('div', { attrs: { id: 'chart-accuracy' } }) };
  const lossCard = card('Loss', '', boxes.loss);
  const scheduleCard = card('Learning rate and curriculum', '', boxes.schedule);
  const setCaption = (section: HTMLElement, text: string) => {
    const caption = section.querySelector<HTMLElement>('.pn-caption')!;
    if (caption.textContent !== text) caption.textContent = text;
  };
  const finalBox = el('div');
  const status = exportStatus();
  window.addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
    if (isExportResult(e.data)) status.show(e.data);
  });
  const base = () => `${page.state()?.setup.task ?? 'training'}-${page.state()?.setup.preset ?? ''}`;
  const data = (table: 'history' | 'evals' | 'final', what: string): ExportItem[] => [
    { label: 'CSV', title: `${what} as CSV`, run: () => post({ type: 'exportData', table, format: 'csv' }) },
    { label: 'JSON', title: `${what} as JSON records`, run: () => post({ type: 'exportData', table, format: 'json' }) },
  ];
  const chart = (box: HTMLElement, name: string, table: 'history' | 'evals', what: string) =>
    exportBar([...data(table, what), ...chartImageItems(box, () => `${base()}-${name}`, (n, format, d) => post({ type: 'exportImage', name: n, format, data: d }))], status);
  const finalExports = exportBar(data('final', 'The final evaluation'), status);

  root.removeAttribute('aria-busy');
  root.replaceChildren(
    header.element,
    el(
      'section',
      { class: 'pn-card pn-status' },
      el('dl', { class: 'pn-stats' }, ...Object.values(stats).map((s) => s.box)),
      el('div', { class: 'pn-buttons' }, ...Object.values(buttons)),
      progress,
      phase,
      error.element,
      hint,
    ),
    el(
      'div',
      { class: 'pn-grid' },
      withExports(lossCard, chart(boxes.loss, 'loss', 'history', 'The logged history (step, loss, gradient norm, learning rate, curriculum)')),
      withExports(card('Gradient norm', 'Global norm of the gradient; updates are clipped to norm 1.0 as in the paper.', boxes.gradNorm), chart(boxes.gradNorm, 'grad-norm', 'history', 'The logged history')),
      withExports(scheduleCard, chart(boxes.schedule, 'schedule', 'history', 'The logged history')),
      withExports(card('Quick evaluation', 'Exact match on 64 random examples at the longest training length and at the test length.', boxes.accuracy), chart(boxes.accuracy, 'quick-eval', 'evals', 'The quick evaluations (step, length, accuracies)')),
    ),
    finalBox,
    status.element,
  );

  page.start(root, (s) => {
    const su = s.setup;
    const decay = weightDecayChip(su);
    const hard = hardShareChip(su);
    const distinct = distinctShareChip(su);
    const startedFrom = startedFromChip(su);
    const forkedFrom = forkedFromChip(su);
    const average = averageChip(su);
    header.show({
      title: `Training ${su.taskTitle}`,
      chips: [
        `${su.preset} preset`,
        ...modelChips(su.model),
        // the depth rule (an answer hold included) and the input injection (the paper's ablations); absent from older saved states
        ...(su.loopText ? [su.loopText] : []),
        `batch ${su.batchSize}`,
        `lr ${fmt.lr(su.lr)}`,
        // a weight decay that is not the paper's, a share of long inputs in the curriculum's chip and of hard and distinct inputs beside it (absent from older saved states)
        ...(decay ? [decay] : []),
        curriculumChip(su),
        ...(hard ? [hard] : []),
        ...(distinct ? [distinct] : []),
        `seed ${su.seed}`,
        // a fine-tuning run's starting weights (absent for a run from scratch and from older saved states)
        ...(startedFrom ? [startedFrom] : []),
        // the checkpoint a fork went on from (absent for any other run)
        ...(forkedFrom ? [forkedFrom] : []),
        // saved weights that are an average, not the last (absent for the paper's and from older saved states)
        ...(average ? [average] : []),
        `provider ${su.provider}`,
      ],
      path: `${s.result ? `model: ${s.result.modelPath} (${fmt.bytes(s.result.modelBytes)})` : `model: ${su.modelPath} · checkpoint: ${s.checkpoint ? `step ${fmt.int(s.checkpoint.step)}` : 'none yet'}`}${keptText(s)}`,
      status: s.status,
      statusText: STATUS_TEXT[s.status],
    });

    setCaption(lossCard, lossCaption(su));
    setCaption(scheduleCard, scheduleCaption(su));

    const p = s.progress;
    const total = p?.totalSteps ?? su.steps;
    const step = s.result?.step ?? p?.step ?? 0;
    stats.step.value.textContent = `${fmt.int(step)} / ${fmt.int(total)}`;
    // finished: the mean of the last logged window, as saved in the model file
    stats.loss.value.textContent = fmt.loss(s.result ? s.result.finalLoss : (p?.loss ?? s.history.at(-1)?.loss));
    stats.grad.value.textContent = fmt.loss(p?.gradNorm ?? s.history.at(-1)?.gradNorm);
    stats.lr.value.textContent = p ? fmt.lr(p.lr) : '–';
    stats.len.value.textContent = p ? `1..${p.nPoints - 1}` : '–';
    stats.elapsed.value.textContent = fmt.duration(s.result?.elapsedSeconds ?? p?.elapsedSeconds);
    stats.eta.value.textContent = s.status === 'running' && s.phase !== 'final-eval' ? fmt.duration(p?.etaSeconds) : '–';
    stats.speed.value.textContent = p && p.msPerStep > 0 ? p.msPerStep.toFixed(1) : '–';
    progress.max = total;
    const active = s.status === 'running' || s.status === 'starting' || s.status === 'cancelling';
    progress.hidden = !active;
    progress.indeterminate = !p || s.phase === 'compiling' || s.phase === 'final-eval' || s.phase === 'saving';
    progress.value = step;

    const finalEval = s.phase === 'final-eval' && s.finalEval ? ` length ${s.finalEval.length}, batch ${s.finalEval.done} of ${s.finalEval.total}` : '';
    const share = s.phase === 'training' && p ? ` · ${Math.floor((100 * p.step) / Math.max(1, p.totalSteps))}% of the steps` : '';
    phase.textContent = s.status === 'cancelling' ? 'Stopping after this step; writing the checkpoint…' : active ? `${PHASE_TEXT[s.phase]}${finalEval}${share}` : '';
    phase.hidden = phase.textContent === '';
    if (s.status === 'finished' && s.result) {
      phase.hidden = false;
      phase.textContent = `Trained ${fmt.int(s.result.step)} steps in ${fmt.duration(s.result.elapsedSeconds)}${typeof s.result.cpuSeconds === 'number' ? ` (CPU time ${fmt.duration(s.result.cpuSeconds)})` : ''}; final loss ${fmt.loss(s.result.finalLoss)}. The model is saved.`;
    }
    if (s.resumedFrom !== null && active) phase.textContent += ` (resumed from step ${fmt.int(s.resumedFrom)})`;

    const pair = s.status !== 'finished' && (active || s.actions.resume);
    buttons.cancel.hidden = buttons.resume.hidden = !pair;
    buttons.cancel.toggleAttribute('disabled', !s.actions.cancel);
    buttons.resume.toggleAttribute('disabled', !s.actions.resume);
    const ckpt = canExportCheckpoint(s);
    buttons.exportCheckpoint.hidden = !ckpt;
    if (ckpt && s.checkpoint) buttons.exportCheckpoint.title = `Save step ${fmt.int(s.checkpoint.step)} (${s.checkpoint.path}) as a model file beside it`;
    buttons.open.hidden = buttons.step.hidden = buttons.evaluate.hidden = !s.actions.openModel;
    hint.textContent = s.hint ?? '';
    hint.hidden = !s.hint;
    error.show(s.error);

    drawTrainingCharts(boxes, s);
    const fin = finalEvaluation(s);
    const kept = keptBranches(s);
    finalBox.replaceChildren(...(fin ? [withExports(fin, finalExports)] : []), ...(kept ? [kept] : []));
  });
}

/** The steps the run saves on the way (setup.saveAt) and those kept so far, by file: absent when it saves none (and in older saved states). */
function keptText(s: TrainingViewState): string {
  const kept = s.saved ?? [];
  const planned = (s.setup.saveAt ?? []).filter((step) => !kept.some((k) => k.step === step));
  const parts = [...kept.map((k) => `kept step ${fmt.int(k.step)}: ${k.model}, ${k.checkpoint}`), ...(planned.length > 0 ? [`saves at step${planned.length === 1 ? '' : 's'} ${planned.map(fmt.int).join(', ')}`] : [])];
  return parts.length === 0 ? '' : ` · ${parts.join(' · ')}`;
}
