// Visual check of the Training and Evaluation webviews outside VS Code: bundles their entries,
// serves each from a static page with the same CSP as webviewHtml and an acquireVsCodeApi stub
// that answers 'ready' with a synthetic state (a run in progress, a finished run, a failed run,
// an evaluation, one with a second model overlaid), renders them in headless Chromium in dark,
// light and high-contrast themes, checks for script errors and horizontal overflow, clicks the
// export links and a failing length, checks the overlay on both evaluation charts (with its own
// training range shaded and its table rows tagged "trained" by that range), checks the case
// split's heat table appears for a task with one (and not for parity), its cells read "oracle /
// paper rule", and an overlaid model gets its own table, checks the
// Training header and captions say how the run loops and where its learning rate ends (an ablated
// run with an lr floor, a long share and a weight decay; an older saved state without those texts), and writes screenshots to
// .artifacts/panels/.
// Run: node --import tsx test/visual/panelsScreenshot.ts   (needs /usr/bin/chromium)
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TRAINING_PROTOCOL, type TrainingSetup, type TrainingViewState } from '../../src/protocol/training';
import { EVALUATION_PROTOCOL, type EvaluationViewState } from '../../src/protocol/evaluation';
import { withIntervals } from '../../src/extension/evaluate/evaluationState';
import { recipeSetup } from '../../src/extension/train/trainPlan';
import { cpuRecipe } from '../../src/core/train/presets';
import { applyOverrides, type RecipeOverrides } from '../../src/core/train/recipePlan';
import { bundleInto, harnessHtml, horizontalOverflow, launchChromium, openHarness, runHarness, THEMES } from './harness';

const out = resolve('.artifacts/panels');

type SetupTexts = Pick<TrainingSetup, 'loopText' | 'scheduleText' | 'longShare' | 'weightDecay'>;

/** The setup's loop and schedule texts, long share and weight decay as the host makes them for the cpu parity recipe with `o` (trainPlan.ts recipeSetup). */
function setupTexts(o: RecipeOverrides = {}): SetupTexts {
  const { loopText, scheduleText, longShare, weightDecay } = recipeSetup(applyOverrides(cpuRecipe('parity'), o));
  return { loopText, scheduleText, longShare, weightDecay };
}

/**
 * A plausible parity run (synthetic numbers with the shape of a real cpu-preset run). `texts`: the
 * setup's loop and schedule texts (none: a state saved before they existed); `floor`: where the
 * cosine ends, as a fraction of the lr.
 */
function trainingState(kind: 'running' | 'finished' | 'failed', texts: SetupTexts = setupTexts(), floor = 0): TrainingViewState {
  const steps = 6000;
  const upTo = kind === 'running' ? 2300 : kind === 'failed' ? 1400 : steps;
  const history = [];
  for (let s = 10; s <= upTo; s += 10) {
    const nPoints = Math.min(21, 2 + Math.floor(s / 100));
    const loss = 0.7 * Math.exp(-s / 900) + 0.02 * Math.exp(-s / 4000) + 0.004 * (1 + Math.sin(s / 37));
    history.push({ step: s, loss, gradNorm: 0.3 + 1.5 * Math.exp(-s / 1500) + 0.15 * Math.abs(Math.sin(s / 23)), lr: s < 2100 ? 1e-3 : 1e-3 * (floor + (1 - floor) * 0.5 * (1 + Math.cos((Math.PI * (s - 2100)) / (steps - 2100)))), nPoints });
  }
  const evals = [];
  for (let s = 500; s <= upTo; s += 500) {
    evals.push({ step: s, rows: [20, 40].map((n) => ({ length: n, examples: 64, oracle: Math.min(1, s / (n === 20 ? 2200 : 4200)), perBatch: Math.min(1, s / (n === 20 ? 2600 : 5200)), perBatchStep: n })) });
  }
  const last = history[history.length - 1]!;
  const base: TrainingViewState = {
    protocol: TRAINING_PROTOCOL,
    setup: {
      task: 'parity', taskTitle: 'Parity', preset: 'cpu', model: { d: 64, layers: 1, heads: 4 }, steps, batchSize: 64, lr: 1e-3,
      curriculum: { start: 2, interval: 100, end: 21 }, maxTrainLength: 20, seed: 0, ...texts, modelPath: '/home/me/project/models/parity-cpu.onnx',
      checkpointPath: '/home/me/project/models/parity-cpu.ckpt', provider: 'auto', finalEval: { lengths: [10, 20, 30, 40], examples: 640 }, quickEvalLengths: [20, 40],
    },
    status: 'running', phase: 'training',
    progress: { step: upTo, totalSteps: steps, loss: last.loss, gradNorm: last.gradNorm, lr: last.lr, nPoints: last.nPoints, msPerStep: 48.3, etaSeconds: 431, elapsedSeconds: 122 },
    history, evals, checkpoint: { step: 2000, path: '/home/me/project/models/parity-cpu.ckpt' }, finalEval: null, result: null, error: null, resumedFrom: null, hint: null,
    actions: { cancel: true, resume: false, openModel: false },
  };
  if (kind === 'finished') {
    return {
      ...base, status: 'finished', phase: 'done', actions: { cancel: false, resume: false, openModel: true },
      result: {
        step: steps, elapsedSeconds: 734, finalLoss: last.loss, modelPath: base.setup.modelPath, modelBytes: 211_252,
        evaluation: {
          examplesPerLength: 640, perExampleRule: 'max-confidence per example (mean over the answer positions)',
          rows: [10, 20, 30, 40].map((n) => ({ length: n, oracleStep: n, examples: 640, oracle: n <= 30 ? 1 : 0.998, perBatch: n <= 30 ? 1 : 0.991, perBatchStep: n, perExample: 0.55 - n / 400, perExampleStep: n / 3 })),
        },
      },
    };
  }
  if (kind === 'failed') {
    return {
      ...base, status: 'failed', phase: 'done', actions: { cancel: false, resume: false, openModel: false },
      error: { kind: 'diverged', title: 'Training diverged: the loss became NaN or infinite', message: 'training diverged at step 1401: loss NaN, gradient norm Infinity (lr 1.00e-3, n_points 16). The last good state (step 1400) is in /home/me/project/models/parity-cpu.ckpt. Try a lower learning rate (--lr) or another seed.' },
      hint: 'Resuming would repeat the same steps. Start a new run with a lower learning rate or another seed.',
    };
  }
  return base;
}

/** A finished evaluation with a second model overlaid (trained on 1..10, the first on 1..20) and failing examples kept. */
function overlaidEvaluation(): EvaluationViewState {
  const s = evaluationState(false);
  const rows = s.rows.map((r) => ({
    ...r,
    oracle: Math.max(0, r.oracle - (r.length > 20 ? (r.length - 20) / 50 : 0)),
    perBatch: Math.max(0, r.perBatch - (r.length > 20 ? (r.length - 20) / 45 : 0)),
    perBatchStep: r.length > 30 ? r.length + 4 : r.length,
    perExampleStep: r.perExampleStep + 2,
  }));
  return {
    ...s,
    failures: s.rows.filter((r) => r.oracle < 1).map((r) => ({ length: r.length, input: `${'10'.repeat(r.length / 2)}=`, expected: '1', predicted: '0', rule: 'oracle T(n)', step: r.length })),
    overlay: { modelPath: '/home/me/project/models/parity-small.onnx', modelName: 'parity-small.onnx', status: 'finished', rows: rows.map((r) => withIntervals(r)), progress: null, error: null, maxTrainLength: 10 },
  };
}

/** A unique-set evaluation with its case split: right on most inputs without repeats, few with 2+. */
function casesEvaluation(running: boolean): EvaluationViewState {
  const s = evaluationState(running);
  const done = s.rows.map((r) => r.length);
  const counts = (n: number) => {
    const repeats = Math.min(0.9, n / 40);
    const two = Math.round(1280 * repeats * repeats);
    const one = Math.round(1280 * repeats) - two;
    const zero = 1280 - one - two;
    const acc = n <= 20 ? 1 : 0.84;
    // the paper rule (one step per length) a little worse without repeats, better with them, past training
    const count = (label: string, examples: number, oracle: number, paper: number) => ({ label, examples, correct: Math.round(examples * oracle), paperRule: Math.round(examples * paper), perExample: Math.round(examples * paper * 0.6) });
    return [
      count('0', zero, acc, n <= 20 ? 1 : 0.7),
      count('1', one, n <= 20 ? 0.97 : 0.4, n <= 20 ? 0.97 : 0.62),
      count('2+', two, n <= 20 ? 0.9 : 0.05, n <= 20 ? 0.9 : 0.3),
    ];
  };
  return {
    ...s,
    setup: { ...s.setup, modelPath: '/home/me/project/models/unique_set.onnx', modelName: 'unique_set.onnx', task: 'unique_set', taskTitle: 'Unique set' },
    cases: { title: 'repeated elements', labels: ['0', '1', '2+'], rows: done.map((n) => ({ length: n, counts: counts(n) })) },
  };
}

/** The unique-set evaluation with a second model overlaid (trained on the same 1..20), still running: its own case table under the first's. */
function casesOverlaid(): EvaluationViewState {
  const s = casesEvaluation(false);
  const rows = s.cases!.rows.slice(0, 4);
  return { ...s, overlay: { modelPath: '/home/me/project/models/unique_set-h16.onnx', modelName: 'unique_set-h16.onnx', status: 'running', rows: s.rows.slice(0, 4), progress: { done: 3, total: 20, length: 25 }, error: null, cases: { ...s.cases!, rows }, maxTrainLength: 20 } };
}

function evaluationState(running: boolean): EvaluationViewState {
  const lengths = [5, 10, 15, 20, 25, 30, 35, 40, 50, 60];
  const rows = lengths.slice(0, running ? 6 : lengths.length).map((n) => withIntervals({
    length: n, oracleStep: n, examples: 1280, oracle: n <= 40 ? 1 : 1 - (n - 40) / 150, perBatch: n <= 30 ? 1 : n <= 40 ? 0.97 : 0.52,
    perBatchStep: n <= 40 ? n : 2, perExample: 0.58 - n / 300, perExampleStep: Math.max(1, n / 4),
  }));
  return {
    protocol: EVALUATION_PROTOCOL,
    setup: {
      modelPath: '/home/me/project/models/parity-cpu.onnx', modelName: 'parity-cpu.onnx', task: 'parity', taskTitle: 'Parity', model: { d: 64, layers: 1, heads: 4 },
      trainedWith: '6,000 steps, cpu preset', maxTrainLength: 20, lengthLabel: 'n', oracleRule: 'T(n) = n', lengths, examples: 1280, batchSize: 64, seed: 1234, extraSteps: 20, calibrationExamples: 256,
    },
    status: running ? 'running' : 'finished', progress: running ? { done: 130, total: 200, length: 35, etaSeconds: 96 } : null, rows, estimateSeconds: 260,
    perExampleRule: running ? null : 'max-confidence per example (mean over the answer positions)', seconds: running ? null : 212.4, error: null,
  };
}

/** The host's side, played by the stub: on 'ready' it sends the state, as TrainingPanel and EvaluationPanel do. */
function page(script: string, theme: Record<string, string>, state: unknown): string {
  const stub = `  const STATE = ${JSON.stringify(state)};
  window.acquireVsCodeApi = () => ({
    getState: () => undefined,
    setState: () => undefined,
    postMessage: (m) => {
      window.__sent.push(m);
      if (m.type === 'ready') setTimeout(() => window.postMessage({ type: 'state', state: STATE }, '*'), 5);
    },
  });`;
  return harnessHtml({ theme, stylesheets: ['panels.css'], stub, script });
}

async function main(): Promise<string[]> {
  await bundleInto(out, ['training', 'evaluation'], ['panels.css']);
  const browser = await launchChromium();
  const problems: string[] = [];
  const cases = [
    {
      name: 'training-running-dark', script: 'training', theme: 'dark', state: trainingState('running'), expect: '#chart-loss svg path.ch-line',
      header: { has: ['each example read at its T(n), with input injection', 'Learning rate 0.001, constant to step 2,100, then cosine to 0;', 'lengths 1..20 (+1 every 100 steps)'], lacks: ['without input injection', 'x lr', 'weight decay', 'longest length so far', 'hard inputs', 'random step from T(n)'] },
    },
    { name: 'training-finished-light', script: 'training', theme: 'light', state: trainingState('finished'), expect: '#final-eval' },
    // a state saved before the setup had its loop and schedule texts: the older wording, no loop chip
    {
      name: 'training-failed-dark', script: 'training', theme: 'dark', state: trainingState('failed', {}), expect: '#error strong',
      header: { has: ['Cross-entropy on the answer positions. Log scale.', 'Constant while the training lengths grow, then a cosine decay.'], lacks: ['T(n)', 'input injection', 'cosine to 0'] },
    },
    // both ablations, an lr floor, a long share and a weight decay not the paper's: the header and the captions say so
    {
      name: 'training-ablation-light', script: 'training', theme: 'light', state: trainingState('finished', setupTexts({ fixedSteps: 8, inputInjection: false, minLrFraction: 0.1, longShare: 0.5, weightDecay: 0.1 }), 0.1), expect: '#final-eval',
      header: { has: ['a fixed depth of 8 loop steps, without input injection', 'Learning rate 0.001, constant to step 2,100, then cosine to 0.1 x lr;', 'weight decay 0.1', 'lengths 1..20 (+1 every 100 steps, 0.5 of each batch at the longest length so far)'], lacks: ['T(n)', 'cosine to 0;'] },
    },
    { name: 'evaluation-dark', script: 'evaluation', theme: 'dark', state: evaluationState(false), expect: '#eval-table' },
    { name: 'evaluation-running-light', script: 'evaluation', theme: 'light', state: evaluationState(true), expect: '#chart-accuracy svg' },
    // beside VS Code's side bar the editor is about 900 px wide
    { name: 'training-running-narrow', script: 'training', theme: 'dark', state: trainingState('running'), expect: '#chart-loss svg path.ch-line', width: 900 },
    { name: 'training-finished-hc', script: 'training', theme: 'hc', state: trainingState('finished'), expect: '#final-eval' },
    { name: 'evaluation-overlay-hc', script: 'evaluation', theme: 'hc', state: overlaidEvaluation(), expect: '#eval-table tr.overlay-row', clicks: true },
    { name: 'evaluation-overlay-light', script: 'evaluation', theme: 'light', state: overlaidEvaluation(), expect: '#chart-accuracy svg path.ch-err' },
    { name: 'evaluation-hc-light', script: 'evaluation', theme: 'hcLight', state: evaluationState(true), expect: '#chart-accuracy svg' },
    // a task with a case split: the heat table under the charts (a parity one above has none)
    { name: 'evaluation-cases-dark', script: 'evaluation', theme: 'dark', state: casesEvaluation(false), expect: '#case-table td.case-cell', caseCells: 30 },
    { name: 'evaluation-cases-running-light', script: 'evaluation', theme: 'light', state: casesEvaluation(true), expect: '#case-table td.pending', caseCells: 18 },
    // an overlay's split: a second table, both captioned with their models
    { name: 'evaluation-cases-overlay-dark', script: 'evaluation', theme: 'dark', state: casesOverlaid(), expect: '#case-table-overlay td.case-cell', caseCells: 30, overlayCells: 12 },
  ];
  for (const c of cases) {
    const html = join(out, `${c.name}.html`);
    writeFileSync(html, page(c.script, THEMES[c.theme]!, c.state));
    const { page: p, errors } = await openHarness(browser, html, ('width' in c && c.width) || 1280);
    await p.waitForSelector(c.expect, { timeout: 10000 }).catch(() => errors.push(`${c.expect} never appeared`));
    await p.waitForTimeout(300);
    // hover the first chart to exercise the read-out
    const box = await p.locator('svg').first().boundingBox();
    if (box) await p.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
    if ('clicks' in c && c.clicks) {
      // the export links and a failing length send their messages to the host
      await p.click('.pn-card-head .ex-link >> text=CSV');
      await p.click('#chart-accuracy >> xpath=.. >> .ex-link >> text=SVG');
      await p.click('#eval-table tr.clickable >> nth=0');
      const sent = (await p.evaluate(() => (window as unknown as { __sent: { type: string; table?: string; format?: string; data?: string; length?: number }[] }).__sent)) as { type: string; table?: string; format?: string; data?: string; length?: number }[];
      if (!sent.some((m) => m.type === 'exportData' && m.table === 'results' && m.format === 'csv')) problems.push(`${c.name}: the results CSV link sent nothing`);
      if (!sent.some((m) => m.type === 'exportImage' && m.format === 'svg' && (m.data ?? '').startsWith('<svg'))) problems.push(`${c.name}: the chart SVG link sent no SVG`);
      if (!sent.some((m) => m.type === 'openExample' && typeof m.length === 'number')) problems.push(`${c.name}: clicking a failing length sent no openExample`);
      // the chosen-step chart carries the overlay too: both models in the legend, the second's points in its colour
      const st = c.state as EvaluationViewState;
      const legend = (await p.textContent('#chart-steps .ch-legend')) ?? '';
      for (const name of [st.setup.modelName, st.overlay!.modelName]) if (!legend.includes(`${name}: paper rule: chosen step`)) problems.push(`${c.name}: the chosen-step legend does not name ${name}`);
      const dots = await p.locator('#chart-steps svg g.c-red circle').count();
      if (dots !== 2 * st.overlay!.rows.length) problems.push(`${c.name}: the chosen-step chart shows ${dots} points of the overlaid model, not ${2 * st.overlay!.rows.length}`);
      // the overlay trained on fewer lengths than the first model: its own band in both charts, and its rows tagged by its own range
      for (const chart of ['#chart-accuracy', '#chart-steps']) {
        const labels = await p.locator(`${chart} svg text.ch-band-label`).allTextContents();
        const want = [`${st.setup.modelName}: trained on 1..${st.setup.maxTrainLength}`, `${st.overlay!.modelName}: trained on 1..${st.overlay!.maxTrainLength}`];
        if (labels.join('|') !== want.join('|')) problems.push(`${c.name}: ${chart}'s bands are labelled ${JSON.stringify(labels)}, not ${JSON.stringify(want)}`);
        if ((await p.locator(`${chart} svg rect.ch-band.own.c-orange`).count()) !== 1) problems.push(`${c.name}: ${chart} has no band of the overlay's range in its colour`);
      }
      const tagged = (await p.locator('#eval-table tr.overlay-row.trained td:first-child').allTextContents()).map((t) => Number(t.split(' ')[0]));
      const wantTagged = st.overlay!.rows.map((r) => r.length).filter((n) => n <= st.overlay!.maxTrainLength!);
      if (tagged.join(',') !== wantTagged.join(',')) problems.push(`${c.name}: the overlay rows tagged trained are ${tagged.join(', ')}, not ${wantTagged.join(', ')}`);
    }
    if ('header' in c && c.header) {
      // the header's chips and the cards' captions, as the user reads them
      const text = (await p.locator('.pn-chips .pn-chip, .pn-caption').allTextContents()).join(' | ');
      for (const t of c.header.has) if (!text.includes(t)) problems.push(`${c.name}: the header and captions do not say "${t}": ${text}`);
      for (const t of c.header.lacks) if (text.includes(t)) problems.push(`${c.name}: the header and captions say "${t}": ${text}`);
    }
    // the case split shows only for a task that has one, one cell per (finished length, label)
    const caseCells = await p.locator('#eval-cases #case-table td.case-cell').count();
    const wantCells = ('caseCells' in c ? c.caseCells : undefined) ?? 0;
    if (c.script === 'evaluation' && caseCells !== wantCells) problems.push(`${c.name}: ${caseCells} case cells, expected ${wantCells}`);
    const overlayCells = await p.locator('#eval-cases #case-table-overlay td.case-cell').count();
    const wantOverlay = ('overlayCells' in c ? c.overlayCells : undefined) ?? 0;
    if (c.script === 'evaluation' && overlayCells !== wantOverlay) problems.push(`${c.name}: ${overlayCells} case cells of the overlay, expected ${wantOverlay}`);
    if (wantOverlay > 0) {
      const captions = await p.locator('#eval-cases caption').allTextContents();
      const st = c.state as EvaluationViewState;
      if (captions.join('|') !== `${st.setup.modelName}|${st.overlay!.modelName}`) problems.push(`${c.name}: the case tables' captions are ${JSON.stringify(captions)}`);
    }
    if (wantCells > 0 && !/^\d+(\.\d)?% \/ \d+(\.\d)?%$/.test((await p.textContent('#case-table td.case-cell .case-acc')) ?? '')) problems.push(`${c.name}: a case cell does not read "oracle / paper rule"`);
    if (wantCells > 0) {
      await p.click('#eval-cases .ex-link >> text=JSON');
      const sent = (await p.evaluate(() => (window as unknown as { __sent: { type: string; table?: string }[] }).__sent)) as { type: string; table?: string }[];
      if (!sent.some((m) => m.type === 'exportData' && m.table === 'cases')) problems.push(`${c.name}: the case split's JSON link sent nothing`);
    }
    const overflow = await horizontalOverflow(p);
    if (overflow > 0) problems.push(`${c.name}: page overflows horizontally by ${overflow}px`);
    problems.push(...errors.map((e) => `${c.name}: ${e}`));
    await p.screenshot({ path: join(out, `${c.name}.png`), fullPage: true });
    console.log(`${c.name}: overflow ${overflow}px · errors ${errors.length}`);
    await p.close();
  }
  await browser.close();
  return problems;
}

runHarness(out, main);
