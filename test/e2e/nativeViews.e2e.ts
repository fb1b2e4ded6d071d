// LoopLens as a VS Code citizen, in a real VS Code: the activity-bar Models view, the
// model editor (double-click a .onnx; a foreign ONNX file's page), the Getting Started walkthrough
// and a tiny training run picked through the quick picks that then shows in the Models view.
// The screenshots named walkthrough-*.png are the walkthrough's images (media/walkthrough/).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { loadModel } from '../../src/core/model/modelFile';
import { foreignOnnxBytes } from '../support/foreignOnnx';
import { artifactsDir } from './harness/vscode';
import { vsCodeTest, waitForText, type VsCode } from './harness';
import { answerInputBox, pickQuickItem } from './harness/quickInput';
import { trainParity } from './harness/trainPicks';

/** A row of the side bar's tree (Models view or Explorer) containing `text`. */
const sideBarRow = (vs: VsCode, text: string | RegExp): Locator => vs.page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first();

async function showModelsView(vs: VsCode): Promise<void> {
  await vs.runCommand('View: Show LoopLens');
  await vs.page.locator('.part.sidebar .monaco-list-row').first().waitFor({ state: 'visible', timeout: 20_000 });
}

/** The visible webview's iframe as an image, for the walkthrough's pictures (notifications cleared first). */
async function webviewShot(vs: VsCode, name: string): Promise<void> {
  await vs.runCommand('Notifications: Clear All Notifications');
  await vs.page.locator('iframe.webview.ready').first().screenshot({ path: join(artifactsDir(), `${name}.png`), timeout: 10_000 });
}

vsCodeTest('the Models view lists the shipped models with their task, shape, trained lengths and accuracy', async (vs) => {
  await showModelsView(vs);
  await sideBarRow(vs, 'Shipped with LoopLens').waitFor({ state: 'visible', timeout: 20_000 });
  // parity.onnx is the parity task's model: the row does not repeat the task
  const parity = await waitForText(sideBarRow(vs, /d64 L1 H4/), /d64 L1 H4 · trained 1\.\.20 · n = 40: 100%/, 30_000);
  assert.match(parity, /^parity/);
  await waitForText(sideBarRow(vs, /^copy/), /^copy.*d64 L2 H16 · trained 1\.\.19 · n = 30: 100%/);
  await sideBarRow(vs, 'Training runs').waitFor({ state: 'visible' });
  await vs.screenshot('models-view');
}, { timeoutMs: 150_000 });

vsCodeTest('double-clicking models/parity.onnx opens the model editor with its training record', async (vs) => {
  const dir = join(vs.server.workspace, 'models');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(__dirname, '..', '..', 'models', 'parity.onnx'), join(dir, 'parity.onnx'));
  await vs.runCommand('View: Show Explorer');
  const folder = sideBarRow(vs, /^\s*models\s*$/);
  await folder.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
  const file = sideBarRow(vs, 'parity.onnx');
  await file.waitFor({ state: 'visible', timeout: 20_000 });
  await file.dblclick();
  await vs.page.locator('.tab.active', { hasText: 'parity.onnx' }).waitFor({ state: 'visible', timeout: 20_000 });
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'LoopLens model', 30_000);
  await waitForText(frame.locator('h1'), 'Parity · looped transformer');
  const record = await waitForText(frame.locator('#record'), 'trained lengths');
  assert.match(record, /steps done\s*6,000/);
  assert.match(record, /trained lengths\s*1\.\.20 \(n\), the lengths its curriculum reached/);
  assert.match(record, /ran on\s*cpu/);
  await waitForText(frame.locator('#recipe'), /learning rate\s*0\.001, constant to step 2,100, then cosine to 0/);
  await waitForText(frame.locator('#eval-table'), /40\s*40\s*6,400\s*100%/);
  assert.equal(await frame.locator('#eval-table tr.trained').count(), 2, 'lengths 10 and 20 are in the trained range');
  assert.ok((await frame.locator('#chart-loss svg path.ch-line').count()) >= 1, 'the loss curve');
  for (const id of ['step-through', 'debug', 'evaluate']) assert.equal(await frame.locator(`#${id}`).count(), 1, `a ${id} button`);
  await vs.screenshot('model-editor-parity');
  await webviewShot(vs, 'walkthrough-open-model');
}, { timeoutMs: 150_000 });

vsCodeTest('a foreign ONNX file shows the "not a LoopLens model" page, and opens as binary from it', async (vs) => {
  const dir = join(vs.server.workspace, 'other');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'classifier.onnx'), foreignOnnxBytes());
  await vs.openFile('other/classifier.onnx');
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'not a LoopLens model', 30_000);
  await waitForText(frame.locator('#foreign-lead'), 'This is an ONNX model, but not a LoopLens model');
  await waitForText(frame.locator('.pn-chips'), /from pytorch 2\.3\.0.*IR version 8.*ai\.onnx opset 17/);
  await waitForText(frame.locator('#onnx-inputs'), /features\s*float32\s*\[batch, 8\]/);
  await waitForText(frame.locator('#onnx-outputs'), /probabilities\s*float32\s*\[batch, 3\]/);
  await waitForText(frame.locator('#operators'), /MatMul × 1.*Softmax × 1/);
  await vs.screenshot('model-editor-foreign');
  await frame.locator('#open-binary').click();
  // VS Code's own editor takes over the tab and says the file is binary
  await vs.page.locator('.editor-group-container', { hasText: /binary|unsupported text encoding/i }).first().waitFor({ state: 'visible', timeout: 20_000 });
}, { timeoutMs: 150_000 });

vsCodeTest('the Getting Started walkthrough opens and its first step\'s button opens the parity model', async (vs) => {
  await vs.runCommand('LoopLens: Show Welcome');
  const page = vs.page.locator('.gettingStartedContainer');
  await waitForText(page, 'Get Started with LoopLens', 30_000);
  for (const step of ['Open a shipped model', 'Step through its loop iterations', 'Debug it beside its program', 'Train your own', 'Write your own task in RASP-L']) {
    await page.locator('.getting-started-step', { hasText: step }).first().waitFor({ state: 'visible', timeout: 10_000 });
  }
  await vs.screenshot('walkthrough');
  const first = page.locator('.getting-started-step', { hasText: 'Open a shipped model' }).first();
  if ((await first.getAttribute('aria-expanded')) !== 'true') await first.click();
  await page.locator('.monaco-button', { hasText: 'Open the Parity Model' }).first().click();
  await vs.page.locator('.tab.active', { hasText: 'parity.onnx' }).waitFor({ state: 'visible', timeout: 20_000 });
  await waitForText(vs.webviewFrame().locator('#status'), 'LoopLens model', 30_000);
  await waitForText(vs.webviewFrame().locator('#record'), 'trained lengths');

  // the step's own images: the template a new task file starts from
  await vs.runCommand('LoopLens: New RASP-L Task File');
  await vs.page.locator('.tab.active', { hasText: 'any_one.raspl' }).waitFor({ state: 'visible', timeout: 20_000 });
  assert.ok(existsSync(join(vs.server.workspace, 'models', 'tasks', 'any_one.raspl')), 'the task file is in the workspace');
  await vs.page.locator('.part.editor').screenshot({ path: join(artifactsDir(), 'walkthrough-raspl.png'), timeout: 10_000 });
}, { timeoutMs: 150_000 });

vsCodeTest('a tiny training run picked through the quick picks appears in the Models view', async (vs) => {
  await trainParity(vs, 'tiny');
  // fewer steps: the curriculum and the schedule scale with them, and the review list says so
  await pickQuickItem(vs, 'Steps', 'Steps: 1,500');
  await answerInputBox(vs, '300');
  await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: /Steps: 300.*scaled to 300 steps: the curriculum adds a length every 20 steps/ }).waitFor({ state: 'visible', timeout: 15_000 });
  await pickQuickItem(vs, 'Final evaluation', 'Final evaluation');
  await answerInputBox(vs, '5, 10, 15 x 64');
  await pickQuickItem(vs, 'Start', /Start training.*300 steps → models\/parity-tiny\.onnx/);

  const frame = vs.webviewFrame();
  await waitForText(frame.locator('h1'), 'Training Parity', 30_000);
  await waitForText(frame.locator('#status'), 'Finished', 150_000);
  const final = await waitForText(frame.locator('#final-eval'), /length.*5\s*5\s*\d+(\.\d)?%/);
  assert.equal(await frame.locator('#final-eval tr.trained').count(), 2, 'lengths 5 and 10 reached by the curriculum');
  assert.match(final, /15/);
  await webviewShot(vs, 'walkthrough-train');

  await showModelsView(vs);
  await waitForText(sideBarRow(vs, /parity-tiny/), /parity-tiny.*parity · d64 L1 H4 · trained 1\.\.10 · n = 15: \d+(\.\d)?%/, 30_000);
  const run = await waitForText(sideBarRow(vs, /finished, 300 steps/), /parity-tiny.*finished, 300 steps · trained 1\.\.10/, 30_000);
  assert.match(run, /parity · d64 L1 H4/);
  await vs.screenshot('models-view-after-training');
}, { timeoutMs: 240_000 });

vsCodeTest('the custom recipe page checks each field as you type and trains what it shows', async (vs) => {
  await trainParity(vs, 'Custom');
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('h1'), 'Custom training recipe · Parity', 30_000);
  assert.equal(await frame.locator('#field-d').inputValue(), '64', "the cpu preset's values to start from");
  await frame.locator('#field-heads').fill('5');
  await waitForText(frame.locator('#recipe-error'), 'heads (5) must divide d (64)');
  assert.equal(await frame.locator('#start').getAttribute('disabled'), '', 'Start waits for a valid recipe');
  await frame.locator('#field-heads').fill('8');
  // the attention scale (the CLI's --attention-scale): the paper's by default, stated in the preview when not
  assert.equal(await frame.locator('#field-attention').inputValue(), 'none', "the paper's attention");
  await frame.locator('#field-attention').selectOption('log-keys');
  await waitForText(frame.locator('#recipe-summary'), /attention\s*scores times ln\(number of keys each query sees\)/);
  await frame.locator('#field-steps').fill('60');
  await frame.locator('#field-maxLength').fill('6');
  await frame.locator('#field-finalEval').fill('none');
  await frame.locator('#field-lr').fill('fast');
  await waitForText(frame.locator('#field-lr-error'), 'the learning rate must be a number');
  await frame.locator('#field-lr').fill('0.002');
  // the lr floor (the CLI's --lr-floor): checked as typed, shown in the preview, recorded in the model file
  await frame.locator('#field-lrFloor').fill('1');
  await waitForText(frame.locator('#field-lrFloor-error'), 'the lr floor must be at least 0 and below 1');
  await frame.locator('#field-lrFloor').fill('0.25');
  await waitForText(frame.locator('#recipe-summary'), /learning rate\s*0\.002 until step \d+, then cosine to 0\.25 x lr at step 60/);
  // the weight decay (the CLI's --weight-decay): the paper's to start from, checked as typed, stated in the preview when not the paper's
  assert.equal(await frame.locator('#field-weightDecay').inputValue(), '0.01', "the preset's weight decay, the paper's");
  await frame.locator('#field-weightDecay').fill('2');
  await waitForText(frame.locator('#field-weightDecay-error'), 'the weight decay must be between 0 and 1');
  await frame.locator('#field-weightDecay').fill('0.1');
  await waitForText(frame.locator('#recipe-summary'), /weight decay\s*0\.1 \(the paper's: 0\.01\)/);
  // the long share (the CLI's --long-share): next to the curriculum's fields, stated with the curriculum
  assert.equal(await frame.locator('#field-longShare').inputValue(), '0', "the paper's uniform lengths");
  await frame.locator('#field-longShare').fill('1');
  await waitForText(frame.locator('#field-longShare-error'), 'the long share must be at least 0 and below 1');
  await frame.locator('#field-longShare').fill('0.5');
  await waitForText(frame.locator('#recipe-summary'), /curriculum\s*lengths 1\.\.\d+ at first.*; 0\.5 of each batch at the longest length so far/);
  // the hard share (the CLI's --hard-share): parity has no hard inputs, so only 0 (the paper's uniform inputs) is taken
  assert.equal(await frame.locator('#field-hardShare').inputValue(), '0', "the paper's uniform inputs");
  await frame.locator('#field-hardShare').fill('0.5');
  await waitForText(frame.locator('#field-hardShare-error'), 'the parity task has no hard inputs to draw from (tasks with them: unique_set)');
  await frame.locator('#field-hardShare').fill('0');
  await waitForText(frame.locator('#field-hardShare-error'), /^$/);
  // the distinct share (the CLI's --distinct-share): likewise only 0 on parity
  assert.equal(await frame.locator('#field-distinctShare').inputValue(), '0', "the paper's uniform inputs");
  await frame.locator('#field-distinctShare').fill('0.5');
  await waitForText(frame.locator('#field-distinctShare-error'), 'the parity task has no distinct inputs to draw from (tasks with them: unique_set)');
  await frame.locator('#field-distinctShare').fill('0');
  await waitForText(frame.locator('#field-distinctShare-error'), /^$/);
  // the answer hold (the CLI's --answer-hold): checked as typed, stated with the depth, its late reads in the rows' loops
  assert.equal(await frame.locator('#field-answerHold').inputValue(), '0', "the paper's read at T(n)");
  await frame.locator('#field-answerHold').fill('101');
  await waitForText(frame.locator('#field-answerHold-error'), 'the answer hold must be between 0 and 100');
  await frame.locator('#field-answerHold').fill('4');
  await waitForText(frame.locator('#recipe-summary'), /depth\s*T\(n\) per example: each example read at a random step from T\(n\) to T\(n\) \+ 4/);
  // the paper's ablations: trained without input injection at a fixed depth, as the model file records
  await frame.locator('#field-fixedSteps').fill('0');
  await waitForText(frame.locator('#field-fixedSteps-error'), 'the fixed depth must be between 1 and 10,000');
  await frame.locator('#field-fixedSteps').fill('8');
  // a fixed depth reads every example at one step: the recipe check refuses the hold, under its field
  await waitForText(frame.locator('#field-answerHold-error'), 'the fixed-depth baseline reads every example at one step (fixedSteps), not at T(n); train it without a hold');
  assert.equal(await frame.locator('#start').getAttribute('disabled'), '', 'Start waits for a valid recipe');
  await frame.locator('#field-answerHold').fill('0');
  await waitForText(frame.locator('#field-answerHold-error'), /^$/);
  await frame.locator('#field-injection').selectOption('off');
  await waitForText(frame.locator('#recipe-summary'), /depth\s*fixed: 8 loop steps for every input.*input injection\s*off/);
  await waitForText(frame.locator('#recipe-scaling'), /scaled to 60 steps/);
  await waitForText(frame.locator('#recipe-summary'), /parameters.*curriculum.*\+1 every \d+ steps, all of 1\.\.6 from step/);
  // stages (the CLI's --stages): checked against the run's steps as typed, stated after the curriculum
  assert.equal(await frame.locator('#field-stages').inputValue(), 'none', 'the paper\'s one curriculum');
  await frame.locator('#field-stages').fill('70:8');
  await waitForText(frame.locator('#field-stages-error'), "stage 1 must start at a step after 0 and before the run's 60 steps end, got 70");
  assert.equal(await frame.locator('#start').getAttribute('disabled'), '', 'Start waits for a valid recipe');
  await frame.locator('#field-stages').fill('40:8');
  await waitForText(frame.locator('#field-stages-error'), /^$/);
  await waitForText(frame.locator('#recipe-summary'), /all of 1\.\.6 from step \d+, then 1\.\.8 from step 40 \(lr 0\.002\), each with fresh AdamW moments and its own decay/);
  await frame.locator('#start:not([disabled])').waitFor({ state: 'visible', timeout: 10_000 });
  // Estimate Time: real steps of this recipe timed in the estimate worker, projected over its 60 steps
  await frame.locator('#estimate').click();
  await waitForText(frame.locator('#recipe-estimate-headline'), /^This run: about .+ of wall time \(.+ of CPU time\) on .+, at load average \d+\.\d$/, 60_000);
  await waitForText(frame.locator('#recipe-estimate-projection'), /^projected run: .+ for 60 steps .+ in its stages\), .+ of wall time at the timed steps' pace/);
  assert.match((await frame.locator('#recipe-estimate-points').innerText()).trim(), /^curriculum: lengths 1\.\.1\b[^]*\nstage 1: lengths 1\.\.8\b/, 'each kind of batch timed, the stage last');
  await vs.screenshot('custom-recipe');
  // an estimate is of the form it timed: a change drops it
  await frame.locator('#field-seed').fill('4');
  await waitForText(frame.locator('#recipe-estimate-headline'), /^$/);
  await frame.locator('#estimate:not([disabled])').waitFor({ state: 'visible', timeout: 10_000 });
  await frame.locator('#start').click();

  const panel = vs.webviewFrame();
  await waitForText(panel.locator('h1'), 'Training Parity', 30_000);
  await waitForText(panel.locator('.pn-chips'), /custom preset.*d = 64.*8 heads.*attention × ln keys.*weight decay 0\.1.*lengths 1\.\.8 \(\+1 every \d+ steps to 6, then stages to 8, 0\.5 of each batch at the longest length so far\)/);
  await waitForText(panel.locator('#status'), 'Finished', 120_000);
  const saved = join(vs.server.workspace, 'models', 'parity-custom.onnx');
  assert.ok(existsSync(saved), 'the model was saved under the custom name');
  const model = await loadModel(saved);
  assert.deepEqual([model.config.inputInjection, model.metadata.stepsRule.fixedSteps], [false, 8], 'the ablations chosen on the page');
  assert.equal(model.config.attentionScale, 'log-keys', 'the attention chosen on the page');
  assert.equal((model.metadata.training.recipe as { schedule: { minLrFraction?: number } }).schedule.minLrFraction, 0.25, 'the lr floor chosen on the page');
  const recipe = model.metadata.training.recipe as { longShare?: number; optimizer: { weightDecay: number } };
  assert.deepEqual([recipe.optimizer.weightDecay, recipe.longShare], [0.1, 0.5], 'the weight decay and long share chosen on the page');
  assert.equal('hardShare' in recipe, false, "a hard share of 0: the paper's uniform inputs, no key");
  assert.equal('distinctShare' in recipe, false, "a distinct share of 0: the paper's uniform inputs, no key");
  assert.equal('answerHold' in recipe, false, "an answer hold of 0: the paper's read at T(n), no key");
  assert.deepEqual((model.metadata.training.recipe as { stages?: unknown }).stages, [{ fromStep: 40, maxLength: 8, lr: 0.002 }], 'the stage typed on the page');
  assert.deepEqual(model.metadata.training.trainedLengths, { min: 1, max: 8 }, 'trained up to the last stage');
}, { timeoutMs: 200_000 });
