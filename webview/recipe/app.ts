// The custom recipe page: a form of the recipe's fields grouped by what they change (for a fine-tune,
// the network greyed: it is the model's), checked by the host as you type (errors under each field,
// a preview of what the recipe derives, its warnings), what the run would cost here (Estimate Time,
// timed by the host until the form changes), and Start / Cancel. The host sends the form; the page
// only edits and shows it.
import type { RecipeEstimate, RecipeField, RecipeForm, RecipePageInit, RecipePreview, RecipeToHost, RecipeToWebview } from '../../src/protocol/recipe';
import { el } from '../shared/dom';
import { button } from '../shared/panelParts';
import { hostApi } from '../shared/vscodeApi';

interface FieldSpec {
  key: RecipeField;
  label: string;
  hint: string;
  placeholder?: string;
  wide?: boolean;
  /** A fixed choice: shown as a select of these values. */
  options?: { value: string; text: string }[];
}

/** A field shown as a select of [value, text] choices. */
function choiceField(key: RecipeField, label: string, hint: string, choices: [string, string][]): FieldSpec {
  return { key, label, hint, options: choices.map(([value, text]) => ({ value, text })) };
}

const GROUPS: { title: string; caption: string; fields: FieldSpec[] }[] = [
  {
    title: 'Model',
    caption: 'One looped block, applied T(n) times.',
    fields: [
      { key: 'd', label: 'Width d', hint: 'hidden size; the paper: 256' },
      { key: 'layers', label: 'Layers', hint: 'in the looped block' },
      { key: 'heads', label: 'Heads', hint: 'attention heads per layer; must divide d' },
      choiceField('attention', 'Attention', "scores q·k/√(head width) (the paper's); or times ln of the keys each query sees, so attention stays as sharp on long inputs as on short ones (Scalable-Softmax); or times 1 + s·ln(keys), s learned per head from 0, so each head sharpens only as far as training asks (neither in the paper)", [
        ['none', "q·k/√hd (the paper's)"],
        ['log-keys', '× ln(keys)'],
        ['learned-log-keys', '× (1 + s·ln keys), s learned'],
      ]),
    ],
  },
  {
    title: 'Optimization',
    caption: "AdamW with weight decay and gradient clipping at 1; the rate is constant while the curriculum grows, then cosine to the lr floor (0: the paper's).",
    fields: [
      { key: 'lr', label: 'Learning rate', hint: 'peak rate, e.g. 1e-3' },
      { key: 'lrFloor', label: 'Lr floor', hint: "where the cosine ends, as a fraction of the peak rate in [0, 1), e.g. 0.1; 0: decays to 0, the paper's", placeholder: "0 (the paper's)" },
      { key: 'weightDecay', label: 'Weight decay', hint: "AdamW's decoupled weight decay in [0, 1]; the paper's: 0.01", placeholder: "0.01 (the paper's)" },
      { key: 'batch', label: 'Batch', hint: 'examples per step' },
      { key: 'steps', label: 'Steps', hint: 'the curriculum and the schedule scale with them' },
      { key: 'seed', label: 'Seed', hint: 'initialisation and data' },
    ],
  },
  {
    title: 'Curriculum',
    caption: "Training lengths start short and grow by one every interval steps up to the longest length, then stages (not in the paper) may train every length up to a longer one; each batch draws its lengths uniformly from those so far and its inputs uniformly (the paper's), or puts a share of it at the longest length, or draws shares from the task's hard or distinct inputs.",
    fields: [
      { key: 'maxLength', label: 'Longest length', hint: "the curriculum's: it trains lengths 1..this (stages may go further)" },
      { key: 'interval', label: 'Interval', hint: 'steps between length increases', placeholder: 'scaled with the steps' },
      { key: 'stages', label: 'Stages', hint: 'after the curriculum: from step S, every length up to L, with fresh AdamW moments and its own decay; S:L, S:L:lr, then optionally :long=share (its own share of each batch at L) and :hold=K (its own answer hold), and on the last stage :branches=B (B runs of it from its first weights, each on its own data, the model the mean of their weights), comma-separated (e.g. 20000:12, 23500:16:3e-4:long=0.5:hold=4); none: one curriculum, the paper\'s', placeholder: "none (the paper's)" },
      { key: 'longShare', label: 'Long share', hint: "share of each batch at the longest length so far, in [0, 1), e.g. 0.5; 0: uniform lengths, the paper's", placeholder: "0 (the paper's)" },
      { key: 'hardShare', label: 'Hard share', hint: "share of each batch from the task's hard inputs (unique set: a random alphabet, so many repeats), in [0, 1); 0: uniform inputs, the paper's", placeholder: "0 (the paper's)" },
      { key: 'distinctShare', label: 'Distinct share', hint: "share of each batch from the task's distinct inputs (unique set: n different elements, no repeats, so every answer slot is filled), in [0, 1), at most 1 with the hard share; 0: uniform inputs, the paper's", placeholder: "0 (the paper's)" },
    ],
  },
  {
    title: 'Where the answer is read',
    caption: "The loss reads each example at its T(n) loop step (the paper's), or at a random step from T(n) to T(n) + the answer hold, so its answer must hold that many steps past T(n). Not with a fixed depth, which reads every example at one step.",
    fields: [{ key: 'answerHold', label: 'Answer hold', hint: "loop steps past T(n), a whole number from 0 to 100; 0: read at T(n), the paper's", placeholder: "0 (the paper's)" }],
  },
  {
    title: 'Saved weights',
    caption: "The model file gets the weights after the last update (the paper's), or the mean of the weights after every update from a given step to the end (not in the paper): a decaying stage's last weights may sit where an answer is right less often than on the way there.",
    fields: [{ key: 'averageFrom', label: 'Average weights from step', hint: "save the mean of the weights after every step from this 0-based step to the end (e.g. the last stage's first step), before the run's last step; none: the last weights, the paper's", placeholder: "none (the paper's)" }],
  },
  {
    title: "The paper's ablations",
    caption: "Fan et al. train these variants to show what length generalization owes to input injection and to T(n) loop steps per input; the defaults are the paper's looped model.",
    fields: [
      choiceField('injection', 'Input injection', 'off: the input enters once, at the first loop step, instead of being added back at every step', [
        ['on', "on (the paper's model)"],
        ['off', 'off (ablation)'],
      ]),
      { key: 'fixedSteps', label: 'Fixed depth', hint: 'the same number of loop steps for every input, each example read at that step; empty: T(n) per example', placeholder: 'T(n) per example' },
    ],
  },
  {
    title: 'Output',
    caption: 'The model file, the evaluation saved in it when training ends, and the steps kept on the way.',
    fields: [
      { key: 'output', label: 'Model file', hint: 'absolute path ending in .onnx; its checkpoint sits beside it', wide: true },
      { key: 'finalEval', label: 'Final evaluation', hint: 'lengths and examples per length, e.g. "10,20,30,40 x 640", or "none"', wide: true },
      choiceField('keepBranches', 'Keep each branch', "a last stage run as branches (Stages: …:branches=B): also save each branch's own weights as MODEL-branch1.onnx, … and evaluate each beside their mean, to see the spread the mean hides", [
        ['off', 'off (their mean only)'],
        ['on', 'on'],
      ]),
      { key: 'saveAt', label: 'Save at steps', hint: "also save the weights (MODEL-stepN.onnx) and the run's checkpoint (MODEL-stepN.ckpt) at these steps, comma-separated, without stopping, e.g. at stages' first steps: models to fine-tune from, checkpoints to go on from with other later stages (looplens train --resume-from)", placeholder: 'none', wide: true },
    ],
  },
];

const DEBOUNCE_MS = 200;

export function startRecipePage(root: HTMLElement): void {
  const host = hostApi<RecipeToHost, never>(() => null);
  let form: RecipeForm | undefined;
  const inputs = new Map<RecipeField, HTMLInputElement | HTMLSelectElement>();
  const errors = new Map<RecipeField, HTMLElement>();
  const title = el('h1', { text: 'Custom training recipe' });
  const lead = el('p', { class: 'pn-caption', text: 'Start from a preset and change what you like; every value is checked as you type.' });
  const presetSelect = el('select', { attrs: { id: 'field-preset', 'aria-label': 'Start from preset' } });
  const presetRow = el('div', { class: 'mp-field' }, el('label', { text: 'Preset', attrs: { for: 'field-preset' } }), presetSelect, el('span', { class: 'mp-hint', text: 'choosing one loads its values below' }));
  const startModel = el('div', { class: 'mp-field', attrs: { id: 'recipe-start-model' } });
  startModel.hidden = true;
  const summary = el('dl', { class: 'mp-facts', attrs: { id: 'recipe-summary' } });
  const scaling = el('p', { class: 'pn-caption', attrs: { id: 'recipe-scaling' } });
  const warnings = el('ul', { class: 'mp-warnings', attrs: { id: 'recipe-warnings' } });
  const problem = el('div', { class: 'pn-error', attrs: { id: 'recipe-error', role: 'alert' } });
  const start = button('Start Training', 'start', () => {
    if (form && !start.hasAttribute('disabled')) host.postMessage({ type: 'start', form: read() });
  });
  const cancel = button('Cancel', 'cancel', () => host.postMessage({ type: 'cancel' }), true);
  const estimateButton = button('Estimate Time', 'estimate', () => {
    if (form && !estimateButton.hasAttribute('disabled')) host.postMessage({ type: 'estimate', form: read() });
  }, true);
  const estimateStatus = el('p', { class: 'pn-caption', attrs: { id: 'recipe-estimate-status', 'aria-live': 'polite' } });
  const estimateHeadline = el('p', { attrs: { id: 'recipe-estimate-headline' } });
  const estimatePoints = el('ul', { class: 'mp-warnings', attrs: { id: 'recipe-estimate-points' } });
  const estimateProjection = el('p', { class: 'pn-caption', attrs: { id: 'recipe-estimate-projection' } });
  const estimateDetails = el('details', {}, el('summary', { text: 'By phase and by kind of batch' }), estimateProjection, estimatePoints);
  const estimateError = el('div', { class: 'pn-error', attrs: { id: 'recipe-estimate-error', role: 'alert' } });

  const read = (): RecipeForm => {
    const out = { ...form! };
    for (const [k, input] of inputs) out[k] = input.value;
    return out;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => host.postMessage({ type: 'change', form: read() }), DEBOUNCE_MS);
  };

  const fieldRow = (f: FieldSpec) => {
    const id = `field-${f.key}`;
    const input = f.options
      ? el('select', { attrs: { id } }, ...f.options.map((o) => el('option', { text: o.text, attrs: { value: o.value } })))
      : el('input', { attrs: { id, type: 'text', spellcheck: 'false', autocomplete: 'off', ...(f.placeholder ? { placeholder: f.placeholder } : {}) } });
    input.addEventListener(f.options ? 'change' : 'input', changed);
    inputs.set(f.key, input);
    const error = el('span', { class: 'mp-field-error', attrs: { id: `${id}-error`, role: 'alert' } });
    errors.set(f.key, error);
    input.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
    return el(
      'div',
      { class: `mp-field${f.wide ? ' wide' : ''}` },
      el('label', { text: f.label, attrs: { for: id } }),
      input,
      el('span', { class: 'mp-hint', text: f.hint, attrs: { id: `${id}-hint` } }),
      error,
    );
  };

  presetSelect.addEventListener('change', () => host.postMessage({ type: 'preset', form: read() }));
  inputs.set('preset', presetSelect);

  root.removeAttribute('aria-busy');
  root.replaceChildren(
    el('header', { class: 'pn-header' }, el('div', {}, title, lead)),
    el('section', { class: 'pn-card' }, el('h2', { text: 'Start from' }), presetRow, startModel),
    ...GROUPS.map((g) => el('section', { class: 'pn-card' }, el('h2', { text: g.title }), el('p', { class: 'pn-caption', text: g.caption }), el('div', { class: 'mp-form' }, ...g.fields.map(fieldRow)))),
    el('section', { class: 'pn-card', attrs: { id: 'recipe-preview' } }, el('h2', { text: 'What this recipe does' }), summary, scaling, warnings, problem),
    el(
      'section',
      { class: 'pn-card', attrs: { id: 'recipe-estimate' } },
      el('h2', { text: 'What it costs here' }),
      el('p', { class: 'pn-caption', text: "Times a few real training steps on each kind of batch this recipe trains on, with LoopLens's thread and provider settings, and adds them up over its steps (as looplens train --estimate); nothing is trained. Wall time moves with what else the machine runs." }),
      el('div', { class: 'pn-buttons' }, estimateButton),
      estimateStatus,
      estimateHeadline,
      estimateDetails,
      estimateError,
    ),
    el('div', { class: 'pn-buttons mp-actions' }, start, cancel),
  );

  const showForm = (f: RecipeForm) => {
    form = f;
    for (const [k, input] of inputs) if (input.value !== f[k]) input.value = f[k];
  };
  const showPreview = (p: RecipePreview) => {
    for (const [k, e] of errors) {
      e.textContent = p.errors[k] ?? '';
      inputs.get(k)?.classList.toggle('invalid', p.errors[k] !== undefined);
    }
    summary.replaceChildren(...p.summary.flatMap((f) => [el('dt', { text: f.label }), el('dd', { text: f.value })]));
    scaling.textContent = p.scaling ?? '';
    scaling.hidden = !p.scaling;
    warnings.replaceChildren(...p.warnings.map((w) => el('li', { text: w })));
    warnings.hidden = p.warnings.length === 0;
    problem.replaceChildren(...(p.error ? [el('strong', { text: 'This recipe cannot be trained' }), el('span', { text: p.error })] : []));
    problem.hidden = !p.error;
    start.toggleAttribute('disabled', !p.ok);
    estimateButton.toggleAttribute('disabled', !p.ok || timingNow);
  };
  let timingNow = false; // an estimate under way: its button waits for it
  const showEstimate = (e: RecipeEstimate | null) => {
    const timing = e?.status === 'timing';
    timingNow = timing;
    estimateButton.toggleAttribute('disabled', timing);
    estimateButton.textContent = timing ? 'Timing…' : e?.status === 'done' ? 'Estimate Again' : 'Estimate Time';
    estimateStatus.textContent = timing ? `Timing training steps${e.total > 0 ? `: ${e.done} of ${e.total} kinds of batch` : '…'}` : '';
    estimateStatus.hidden = !timing;
    estimateHeadline.replaceChildren(...(e?.status === 'done' ? [el('strong', { text: 'This run: ' }), el('span', { text: e.headline })] : []));
    estimateHeadline.hidden = e?.status !== 'done';
    const points = e && e.status !== 'failed' ? e.points : [];
    estimatePoints.replaceChildren(...points.map((p) => el('li', { text: p })));
    estimateProjection.textContent = e?.status === 'done' ? e.projection : '';
    estimateDetails.hidden = points.length === 0;
    estimateDetails.open ||= timing;
    estimateError.replaceChildren(...(e?.status === 'failed' ? [el('strong', { text: 'Could not time this recipe' }), el('span', { text: e.message })] : []));
    estimateError.hidden = e?.status !== 'failed';
  };
  showEstimate(null);
  /** A fine-tune or a fork: the model's or checkpoint's name instead of the presets, what it keeps shown and not editable. */
  const showStartFrom = (start: NonNullable<RecipePageInit['startFrom']>) => {
    const fork = start.kind === 'checkpoint';
    lead.textContent = fork
      ? "A new run that goes on from a run's checkpoint: what that run has trained stays; the steps, the stages and weight average not yet begun, and where it saves are yours. Every value is checked as you type."
      : "A new run from a model's weights: its task and network stay, the rest is yours; every value is checked as you type.";
    presetRow.hidden = true;
    startModel.replaceChildren(
      el('label', { text: fork ? 'Checkpoint' : 'Model' }),
      el('code', { text: start.from }),
      el('span', { class: 'mp-hint', text: fork ? "its weights, optimizer state and recipe (greyed below: the run's past)" : 'its weights, task and network (greyed below: the weights fit no other)' }),
    );
    startModel.hidden = false;
    for (const k of start.locked) inputs.get(k)?.setAttribute('disabled', '');
  };
  const init = (i: RecipePageInit) => {
    title.textContent = `${i.startFrom?.kind === 'checkpoint' ? 'Going on from a checkpoint' : i.startFrom ? 'Fine-tuning recipe' : 'Custom training recipe'} · ${i.taskTitle}`;
    if (i.startFrom) showStartFrom(i.startFrom);
    presetSelect.replaceChildren(...i.presets.map((p) => el('option', { text: `${p.name}: ${p.description}`, attrs: { value: p.name } })));
    showForm(i.form);
    showPreview(i.preview);
  };

  window.addEventListener('message', (e: MessageEvent<RecipeToWebview>) => {
    const m = e.data;
    if (m?.type === 'init') init(m.init);
    if (m?.type === 'preview') {
      if (m.form) showForm(m.form);
      showPreview(m.preview);
    }
    if (m?.type === 'estimate') showEstimate(m.estimate);
  });
  host.postMessage({ type: 'ready' });
}
