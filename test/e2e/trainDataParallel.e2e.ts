// Training data-parallel in a real VS Code: with the looplens.dataParallel setting on, the Train
// command's Estimate time… times the steps on two one-thread gradient workers (the bundle beside the
// extension's), and the run trains on them to its last step and saves its model.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { configureVsCode, vsCodeTest, waitForText } from './harness';
import { answerInputBox, pickQuickItem, waitForQuickItem } from './harness/quickInput';
import { trainParity } from './harness/trainPicks';
import { loadModel } from '../../src/core/model/modelFile';

configureVsCode({ settings: { 'looplens.dataParallel': true } });

vsCodeTest('with looplens.dataParallel on, Train Looped Model times and trains its run on two gradient workers', async (vs) => {
  await trainParity(vs, 'cpu');
  await pickQuickItem(vs, 'Steps', 'Steps: 6,000');
  await answerInputBox(vs, '30');
  await pickQuickItem(vs, 'Estimate', 'Estimate time…');
  const estimate = await waitForQuickItem(vs, /About .+ of wall time \(.+ of CPU time\)/, 120_000);
  assert.match(estimate, /projected run: .+ for 30 steps on 2 one-thread workers/);
  await pickQuickItem(vs, 'Final evaluation', 'Final evaluation: lengths 10, 20, 30, 40 × 640 examples');
  await answerInputBox(vs, 'none');
  await pickQuickItem(vs, 'Start', /Start training.*30 steps/);

  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'Finished', 120_000);
  await waitForText(frame.locator('#phase'), /^Trained 30 steps in /);
  const model = await loadModel(join(vs.server.workspace, 'models', 'parity-cpu.onnx'));
  assert.equal(model.metadata.training.stepsCompleted, 30);
  // the training worker's log, in the LoopLens output channel: its steps went to the gradient workers throughout
  const channel = vs.logs(/-LoopLens\.log$/);
  assert.match(channel, /\[train\] training data-parallel: each batch in 2 shares, one thread each, in pieces of up to [\d.]+ MiB of attention scores/);
  assert.doesNotMatch(channel, /data-parallel training stopped/);
});
