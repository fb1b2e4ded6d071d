// The training record a model file carries (modelMetadata.ts TrainingRecord), made from a run.
import type { EvalSummary, TrainingRecord } from '../model/modelMetadata';
import type { TrainPoint, TrainResult } from './trainEvents';

/** At most `max` points of the training-loss curve, evenly spaced, always keeping the last one. */
export function downsampleLoss(points: readonly TrainPoint[], max = 300): { step: number; loss: number }[] {
  const all = points.map((p) => ({ step: p.step, loss: round(p.loss) }));
  if (all.length <= max) return all;
  const out: { step: number; loss: number }[] = [];
  for (let i = 0; i < max; i++) out.push(all[Math.round((i * (all.length - 1)) / (max - 1))]!);
  return out;
}

const round = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(5)) : v);

export function trainingRecordOf(r: TrainResult, evaluation?: EvalSummary): TrainingRecord {
  const points = r.history.filter((h): h is TrainPoint => h.kind === 'train');
  const record: TrainingRecord = {
    preset: r.recipe.preset,
    recipe: r.recipe as unknown as Record<string, unknown>,
    stepsCompleted: r.step,
    seed: r.recipe.seed,
    elapsedSeconds: Math.round(r.elapsedSeconds * 10) / 10,
    finalLoss: r.finalLoss === null ? null : round(r.finalLoss),
    provider: r.provider,
    finishedAt: new Date().toISOString(),
    lossCurve: downsampleLoss(points),
  };
  if (evaluation) record.evaluation = evaluation;
  return record;
}
