// Shared by the extension-layer unit tests: temp folders and a small untrained model file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { saveModel } from '../../../src/core/model/modelFile';
import type { EvalSummary, TrainingRecord } from '../../../src/core/model/modelMetadata';
import { initParams } from '../../../src/core/model/params';
import { getTask } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import type { LoopedConfig } from '../../../src/core/model/config';

export { tmpDir } from '../../support/tmpDir';

/** The training worker from the sources (tsx), as the extension's TrainingRun starts its bundle. */
export const sourceTrainingWorker = { script: 'src/core/train/worker.ts', execArgv: ['--import', 'tsx'], cwd: path.resolve(__dirname, '../../..') };

export const smallConfig: LoopedConfig = { vocabSize: 6, d: 16, layers: 1, heads: 2, readIn: 'linear', inputInjection: true };

/** Writes an untrained parity model (d 16) with a training record trained on lengths 1..5; `task`: another binary task (vocabulary 6). */
export async function writeSmallModel(file: string, evaluation?: EvalSummary, task: 'parity' | 'addition' = 'parity'): Promise<string> {
  const rng = new Rng(7);
  const training: TrainingRecord = {
    preset: 'test-micro',
    recipe: { task, curriculum: { start: 2, interval: 5, end: 6 } },
    stepsCompleted: 30,
    seed: 3,
    elapsedSeconds: 75,
    finalLoss: 0.0421,
    provider: 'cpu',
    finishedAt: '2026-01-01T00:00:00.000Z',
    lossCurve: [{ step: 30, loss: 0.0421 }],
  };
  if (evaluation) training.evaluation = evaluation;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await saveModel(file, { task: getTask(task), config: smallConfig, params: initParams(smallConfig, () => rng.float()), training });
  return file;
}
