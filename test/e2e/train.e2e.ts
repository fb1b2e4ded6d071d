// Training in a real VS Code: "Train Looped Model" asks task, preset and a review list (a tiny run:
// 40 steps, small final evaluation, timed first with Estimate time), trains in a child process while
// the Training panel draws the curves (its header naming the depth rule, its schedule card where the
// cosine ends), then offers the finished model, which opens as the current one; the panel exports its
// learning curve, quick evaluations and final evaluation through the save dialog (the files'
// contents checked). "Fine-Tune Model…" then trains a short run from that model's weights, asked
// in three questions, then another set on the recipe page with the model's network greyed, a last
// stage with its own long share and the weights averaged over it. "Go On From Checkpoint" takes the
// stopped run's checkpoint on with a last stage of its own, keeping a step along the way.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { EVALUATION_COLUMNS } from '../../src/core/export/evaluationExport';
import { trainingEvalsTable, trainingHistoryTable } from '../../src/core/export/trainingExport';
import { vsCodeTest, waitForText, type VsCode } from './harness';
import { answerInputBox, pickQuickItem, waitForQuickItem } from './harness/quickInput';
import { trainParity } from './harness/trainPicks';
import { acceptSaveDialog, answerOpenDialog } from './harness/saveDialog';
import { loadModel } from '../../src/core/model/modelFile';
import { readTrainingCheckpoint } from '../../src/core/train/trainingCheckpoint';

/** Clicks export link `label` of the card headed `heading`, accepts the save dialog's `fileName`, and returns the file's text. */
async function exportFromCard(vs: VsCode, frame: FrameLocator, heading: string, label: string, fileName: string): Promise<string> {
  const card = frame.locator('.pn-card').filter({ has: frame.locator('.pn-card-head h2', { hasText: heading }) });
  await card.locator('.ex-link', { hasText: new RegExp(`^${label}$`) }).click();
  const file = await acceptSaveDialog(vs, fileName);
  await waitForText(frame.locator('#export-status'), fileName);
  return readFileSync(file, 'utf8');
}

vsCodeTest('Train Looped Model: a tiny parity run shows its curves, finishes and saves a model that opens', async (vs) => {
  await trainParity(vs, 'cpu');
  // the review list: change steps and the final evaluation, then start
  await pickQuickItem(vs, 'Steps', 'Steps: 6,000');
  await answerInputBox(vs, 'many', 'steps must be a whole number');
  await answerInputBox(vs, '40');
  // Estimate time: the run's steps timed in the estimate worker, the list shown again with the projection
  await pickQuickItem(vs, 'Estimate', 'Estimate time…');
  const estimate = await waitForQuickItem(vs, /About .+ of wall time \(.+ of CPU time\)/, 120_000);
  assert.match(estimate, /projected run: .+ of CPU time for 40 steps/);
  await pickQuickItem(vs, 'Final evaluation', 'Final evaluation: lengths 10, 20, 30, 40 × 640 examples');
  await answerInputBox(vs, '3, 6 x 32');
  await pickQuickItem(vs, 'Start', /Start training.*40 steps/);

  const frame = vs.webviewFrame();
  await waitForText(frame.locator('h1'), 'Training Parity', 30_000);
  // the header names the run's depth rule and input injection; the schedule card says where its cosine ends
  await waitForText(frame.locator('.pn-chips'), 'each example read at its T(n), with input injection');
  await waitForText(frame.locator('.pn-caption', { hasText: 'Learning rate' }), /^Learning rate 0\.001, constant to step [\d,]+, then cosine to 0;/);
  await waitForText(frame.locator('#status'), 'Finished', 120_000);
  await waitForText(frame.locator('#phase'), /^Trained 40 steps in .+ \(CPU time .+\); final loss/);
  assert.ok((await frame.locator('#chart-loss svg path.ch-line').count()) === 1, 'a loss curve');
  assert.ok((await frame.locator('#chart-accuracy svg circle.ch-dot').count()) >= 2, 'quick-evaluation points');
  const final = await waitForText(frame.locator('#final-eval'), /length.*3\s*3\s*\d+(\.\d)?%/);
  assert.match(final, /Exact match on 32 random examples per length/);
  await vs.screenshot('training-finished');

  const model = join(vs.server.workspace, 'models', 'parity-cpu.onnx');
  assert.ok(existsSync(model), `${model} was written`);
  assert.ok(existsSync(join(vs.server.workspace, 'models', 'parity-cpu.ckpt')), 'its checkpoint sits beside it');
  const toast = vs.notification(/trained Parity/);
  await waitForText(toast, /\(40 steps, CPU time .+\) and saved models\/parity-cpu\.onnx/);
  await toast.locator('a.monaco-button, .monaco-button', { hasText: 'Open Model' }).first().click();
  await vs.page.locator('.statusbar-item', { hasText: /parity · d64 L1 H4/ }).waitFor({ state: 'visible', timeout: 15_000 });

  // the panel's exports, after the toast (their own notifications push it out of view); first the
  // learning curve as CSV: one row per logged window, up to the last step
  const history = (await exportFromCard(vs, frame, 'Loss', 'CSV', 'parity-cpu-training-history.csv')).trimEnd().split('\n');
  assert.equal(history[0], trainingHistoryTable([]).columns.join(','));
  const logged = history.slice(1).map((l) => l.split(',').map(Number));
  assert.ok(logged.length >= 2, `${logged.length} logged windows`);
  for (const [i, [step, loss, grad, lr, nPoints, maxLength]] of logged.entries()) {
    assert.ok(step! > (logged[i - 1]?.[0] ?? 0) && step! <= 40, `steps increase up to 40: ${history[i + 1]}`);
    assert.ok(loss! > 0 && Number.isFinite(loss) && grad! > 0 && lr! >= 0, `loss, gradient norm and rate: ${history[i + 1]}`);
    assert.equal(maxLength, nPoints! - 1);
  }
  assert.equal(logged.at(-1)![0], 40, 'the last window ends at the last step');
  // the quick evaluations as JSON records: the points of the Quick evaluation chart
  const quick = JSON.parse(await exportFromCard(vs, frame, 'Quick evaluation', 'JSON', 'parity-cpu-quick-evaluations.json')) as Record<string, number>[];
  assert.ok(quick.length >= 1, 'at least one quick evaluation');
  assert.equal(await frame.locator('#chart-accuracy svg circle.ch-dot').count(), 2 * quick.length, 'two dots (oracle, paper rule) per record');
  for (const r of quick) {
    assert.deepEqual(Object.keys(r), trainingEvalsTable([]).columns);
    assert.ok(r.step! >= 1 && r.step! <= 40 && r.examples! > 0 && r.oracle! >= 0 && r.oracle! <= 1 && r.paper_rule! >= 0 && r.paper_rule! <= 1, JSON.stringify(r));
  }
  // the final evaluation as CSV: lengths 3 and 6, 32 examples each, as the table shows
  const finalCsv = (await exportFromCard(vs, frame, 'Final evaluation', 'CSV', 'parity-cpu-final-evaluation.csv')).trimEnd().split('\n');
  assert.equal(finalCsv[0], EVALUATION_COLUMNS.join(','));
  const col = (name: string) => EVALUATION_COLUMNS.indexOf(name);
  assert.deepEqual(finalCsv.slice(1).map((l) => [l.split(',')[col('model')], Number(l.split(',')[col('length')]), Number(l.split(',')[col('examples')])]), [['parity-cpu.onnx', 3, 32], ['parity-cpu.onnx', 6, 32]]);
  await vs.screenshot('training-exported');
}, { timeoutMs: 240_000 });

vsCodeTest('Cancel stops a run after a checkpoint and says how to resume; Resume continues it', async (vs) => {
  await trainParity(vs, 'cpu');
  await pickQuickItem(vs, 'Steps', 'Steps: 6,000');
  await answerInputBox(vs, '3000');
  // parity-cpu.onnx exists (previous test), so this run gets the next free name
  await pickQuickItem(vs, 'Start', /Start training.*3,000 steps → models\/parity-cpu-2\.onnx/);
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#phase'), /Training · \d+% of the steps/, 60_000);
  await frame.locator('#cancel').click();
  await waitForText(frame.locator('#status'), 'Stopped', 60_000);
  const hint = await waitForText(frame.locator('#hint'), 'Nothing is lost');
  assert.match(hint, /Stopped at step \d+ of 3000\. Nothing is lost: the checkpoint .*parity-cpu-2\.ckpt holds step \d+\. Press Resume here/);
  assert.ok(existsSync(join(vs.server.workspace, 'models', 'parity-cpu-2.ckpt')), 'the checkpoint was written');
  await waitForText(vs.notification(/training stopped/), /Nothing is lost/);
  await vs.screenshot('training-cancelled');

  // the stopped run's checkpoint, saved as a model without resuming
  const held = Number(/holds step (\d+)/.exec(hint)![1]);
  await frame.locator('#export-checkpoint').click();
  await waitForText(vs.notification(/saved Parity at step/), new RegExp(`saved Parity at step ${held} of 3000 as models/parity-cpu-2-step${held}\\.onnx`));
  assert.ok(existsSync(join(vs.server.workspace, 'models', `parity-cpu-2-step${held}.onnx`)), 'the checkpoint was saved as a model');

  await frame.locator('#resume').click();
  await waitForText(frame.locator('#phase'), /resumed from step \d+/, 60_000);
  await frame.locator('#cancel').click();
  await waitForText(frame.locator('#status'), 'Stopped', 60_000);
}, { timeoutMs: 180_000 });

vsCodeTest("Fine-Tune Model: a short run from the trained model's weights says where it started, and its file records it", async (vs) => {
  await vs.runCommand('LoopLens: Fine-Tune Model…');
  // the model the first test trained (40 steps)
  await answerOpenDialog(vs, 'Fine-Tune Model', join(vs.server.workspace, 'models', 'parity-cpu.onnx'));
  await pickQuickItem(vs, 'Longest', 'three questions');
  // longer than the lengths the 40-step model reached: the run extends it to new lengths
  await answerInputBox(vs, '0', 'the longest length must be between 1 and 500');
  await answerInputBox(vs, '6');
  await answerInputBox(vs, '0', 'steps must be between 1 and 10,000,000');
  await answerInputBox(vs, '30');
  await answerInputBox(vs, '2', 'the learning rate must be above 0 and at most 1');
  await answerInputBox(vs, '1e-4');
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('.pn-chips'), /fine-tuned from the weights of parity-cpu\.onnx \(40 steps trained, \d+\.\d min of wall time from scratch\), CRC-32 [0-9a-f]{8}/, 30_000);
  await waitForText(frame.locator('.pn-chips'), 'fine-tune preset');
  await waitForText(frame.locator('#status'), 'Finished', 120_000);
  await vs.screenshot('fine-tune-finished');
  const tuned = await loadModel(join(vs.server.workspace, 'models', 'parity-fine-tune.onnx'));
  const recipe = tuned.metadata.training.recipe as { initFrom?: { model: string; stepsBefore: number }; steps: number; curriculum: { end: number } };
  assert.deepEqual([recipe.initFrom?.model, recipe.initFrom?.stepsBefore, recipe.steps, recipe.curriculum.end], ['parity-cpu.onnx', 40, 30, 7]);
}, { timeoutMs: 180_000 });

vsCodeTest("Fine-Tune Model → Custom recipe: the recipe page keeps the model's network (learned key scales aside) and trains the rest as set from its weights", async (vs) => {
  await vs.runCommand('LoopLens: Fine-Tune Model…');
  await answerOpenDialog(vs, 'Fine-Tune Model', join(vs.server.workspace, 'models', 'parity-cpu.onnx'));
  await pickQuickItem(vs, 'Custom', 'every field on a page');
  const page = vs.webviewFrame();
  await waitForText(page.locator('h1'), 'Fine-tuning recipe · Parity', 30_000);
  await waitForText(page.locator('#recipe-start-model'), /parity-cpu\.onnx/);
  for (const id of ['d', 'layers', 'heads', 'injection', 'fixedSteps']) assert.equal(await page.locator(`#field-${id}`).isDisabled(), true, `${id}: the model's`);
  // the paper's attention may take learned key scales (the same function at the start); nothing else
  await page.locator('#field-attention').selectOption('log-keys');
  await waitForText(page.locator('#field-attention-error'), 'a fine-tune keeps the network of parity-cpu.onnx: attention none (or learned-log-keys, which starts as the same function)');
  await page.locator('#field-attention').selectOption('learned-log-keys');
  await waitForText(page.locator('#recipe-summary'), /attention\s*scores times 1 \+ s ln\(number of keys each query sees\), s learned per head from 0/);
  assert.equal(await page.locator('#field-preset').isVisible(), false, 'no preset to load: the network is the model\'s');
  await waitForText(page.locator('#recipe-summary'), /weights\s*the weights of parity-cpu\.onnx \(40 steps trained, \d+\.\d min of wall time from scratch\), CRC-32 [0-9a-f]{8}/);
  await page.locator('#field-steps').fill('20');
  await page.locator('#field-answerHold').fill('2');
  // a last stage with its own long share, run as two branches: its syntax under the field, its words in the panel's chip
  await waitForText(page.locator('#field-stages-hint'), /optionally :long=share \(its own share of each batch at L\) and :hold=K \(its own answer hold\), and on the last stage :branches=B/);
  await page.locator('#field-maxLength').fill('6');
  await page.locator('#field-stages').fill('10:4');
  await waitForText(page.locator('#field-stages-error'), /stage 1's longest length must be an integer of at least 6 \(the curriculum's\), got 4/);
  await page.locator('#field-stages').fill('10:8:1e-4:long=0.5:branches=16');
  await waitForText(page.locator('#field-stages-error'), /stage 1 has 10 steps, too few for 16 branches of at least one step each/);
  // each branch kept as a model of its own: only with a branched last stage
  await page.locator('#field-keepBranches').selectOption('on');
  await page.locator('#field-stages').fill('10:8:1e-4:long=0.5');
  await waitForText(page.locator('#field-keepBranches-error'), 'the last stage runs once: add branches=B to it under Stages to keep each branch');
  await page.locator('#field-stages').fill('10:8:1e-4:long=0.5:branches=2');
  await waitForText(page.locator('#recipe-summary'), /kept branches\s*each of the 2 also saved as parity-fine-tune(-\d+)?-branch1\.onnx … parity-fine-tune(-\d+)?-branch2\.onnx and evaluated beside their mean/);
  await page.locator('#field-averageFrom').fill('20');
  await waitForText(page.locator('#field-averageFrom-error'), /the weight average must start before the run's 20 steps end: a step from 0 to 19, got 20/);
  await page.locator('#field-averageFrom').fill('10');
  await waitForText(page.locator('#recipe-summary'), /saved weights\s*the weights averaged over steps 10 to 20, each branch's over its own \(not the paper's last weights\)/);
  await page.locator('#field-finalEval').fill('4,8 x 16');
  await waitForText(page.locator('#recipe-summary'), /depth\s*T\(n\) per example: each example read at a random step from T\(n\) to T\(n\) \+ 2/);
  await page.locator('#start:not([disabled])').waitFor({ state: 'visible', timeout: 10_000 });
  await vs.screenshot('fine-tune-recipe');
  const output = await page.locator('#field-output').inputValue();
  assert.match(output, /parity-fine-tune(-\d+)?\.onnx$/, 'a fine-tune is named as one');
  await page.locator('#start').click();
  const panel = vs.webviewFrame();
  await waitForText(panel.locator('.pn-chips'), /fine-tuned from the weights of parity-cpu\.onnx \(40 steps trained, \d+\.\d min of wall time from scratch\)/, 30_000);
  await waitForText(panel.locator('.pn-chips'), /then stages to 8 \(0\.5 of each batch at 8\), the last as 2 branches\)/);
  await waitForText(panel.locator('.pn-chips'), "the weights averaged over steps 10 to 20, each branch's over its own");
  await waitForText(panel.locator('#status'), 'Finished', 120_000);
  // each branch beside the mean, and its file beside the model
  const stem = basename(output, '.onnx');
  await waitForText(panel.locator('#kept-branches'), `branch 1: ${stem}-branch1.onnx · branch 2: ${stem}-branch2.onnx`, 60_000);
  assert.equal(await panel.locator('#kept-branches tbody tr').count(), 2, 'a row per length evaluated');
  // the learning curve's last point is in branch 2: that branch's own dots beside the mean's line
  await waitForText(panel.locator('#chart-accuracy .ch-legend'), /n = 8: each branch alone, oracle T\(n\)/);
  assert.ok((await panel.locator('#chart-accuracy path.ch-dot.diamond').count()) > 0, "the branch's own points are diamonds, not the paper rule's rings");
  assert.ok((await panel.locator('#chart-accuracy .ch-legend .ch-swatch.dot.diamond').count()) > 0, 'and so are their legend keys');
  await waitForText(panel.locator('#kept-branches thead'), /the model \(mean\): oracle.*branch 1: oracle.*branch 2: oracle/);
  await panel.locator('#kept-branches').scrollIntoViewIfNeeded();
  await vs.screenshot('fine-tune-kept-branches');
  assert.deepEqual((await loadModel(join(dirname(output), `${stem}-branch2.onnx`))).metadata.training.branch, { index: 2, of: 2 });
  const tuned = await loadModel(output);
  const recipe = tuned.metadata.training.recipe as { initFrom?: { model: string }; steps: number; answerHold?: number; preset: string; stages?: unknown; averageFrom?: number };
  assert.deepEqual([recipe.initFrom?.model, recipe.steps, recipe.answerHold, recipe.preset], ['parity-cpu.onnx', 20, 2, 'fine-tune']);
  assert.deepEqual(recipe.stages, [{ fromStep: 10, maxLength: 8, lr: 1e-4, longShare: 0.5, branches: 2 }], 'the stage as set on the page');
  assert.equal(recipe.averageFrom, 10, 'and the weight average');
  assert.equal(tuned.config.attentionScale, 'learned-log-keys', 'and the attention');
}, { timeoutMs: 180_000 });

vsCodeTest("Go On From Checkpoint: the stopped run's checkpoint goes on as a new run with a last stage of its own, its kept step listed, the checkpoint left as it was", async (vs) => {
  // the run the Cancel test stopped (3000 steps planned)
  const from = join(vs.server.workspace, 'models', 'parity-cpu-2.ckpt');
  const step = (await readTrainingCheckpoint(from)).step;
  const before = readFileSync(from);
  const n = (v: number) => v.toLocaleString('en-US');
  await vs.runCommand('LoopLens: Go On From Checkpoint With Other Stages…');
  await pickQuickItem(vs, 'parity-cpu-2', `parity · step ${step} of 3000`);
  const page = vs.webviewFrame();
  await waitForText(page.locator('h1'), 'Going on from a checkpoint · Parity', 30_000);
  await waitForText(page.locator('#recipe-start-model'), `parity-cpu-2.ckpt at step ${n(step)}`);
  for (const id of ['d', 'heads', 'lr', 'batch', 'maxLength', 'interval', 'seed', 'injection']) assert.equal(await page.locator(`#field-${id}`).isDisabled(), true, `${id}: the run's past`);
  assert.equal(await page.locator('#field-preset').isVisible(), false, 'no preset to load: the recipe is the checkpoint\'s');
  assert.equal(await page.locator('#field-steps').inputValue(), '3000', "the run's own steps");
  await page.locator('#field-steps').fill(String(step + 20));
  await page.locator('#field-finalEval').fill('none');
  // a stage that would have begun before the checkpoint rewrites the run's past: refused under the field
  await page.locator('#field-stages').fill(`${step - 1}:24`);
  await waitForText(page.locator('#field-stages-error'), `the stages begun before step ${step} are the run's past`);
  await page.locator('#field-stages').fill(`${step + 10}:24:5e-4`);
  await page.locator('#field-saveAt').fill(String(step + 10));
  await waitForText(page.locator('#recipe-summary'), new RegExp(`goes on from\\s*parity-cpu-2\\.ckpt at step ${n(step)}, as a run of its own`));
  await page.locator('#start:not([disabled])').waitFor({ state: 'visible', timeout: 10_000 });
  await vs.screenshot('go-on-from-checkpoint');
  const output = await page.locator('#field-output').inputValue();
  assert.equal(basename(output), `parity-cpu-2-from${step}.onnx`, 'a new model beside the checkpoint');
  await page.locator('#start').click();
  const panel = vs.webviewFrame();
  await waitForText(panel.locator('.pn-chips'), `went on from parity-cpu-2.ckpt at step ${n(step)}`, 30_000);
  await waitForText(panel.locator('#status'), 'Finished', 120_000);
  const stem = `parity-cpu-2-from${step}`;
  await waitForText(panel.locator('.pn-path'), `kept step ${n(step + 10)}: ${stem}-step${step + 10}.onnx, ${stem}-step${step + 10}.ckpt`);
  const record = (await loadModel(output)).metadata.training;
  assert.equal(record.stepsCompleted, step + 20);
  assert.deepEqual(record.forks?.map((f) => [basename(f.checkpoint), f.step]), [['parity-cpu-2.ckpt', step]]);
  assert.deepEqual((record.recipe as { stages?: unknown }).stages, [{ fromStep: step + 10, maxLength: 24, lr: 5e-4 }]);
  assert.ok(existsSync(join(dirname(output), `${stem}-step${step + 10}.ckpt`)), 'the kept checkpoint');
  assert.deepEqual(readFileSync(from), before, 'the checkpoint it went on from is unchanged');
}, { timeoutMs: 180_000 });
