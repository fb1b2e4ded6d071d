// Whether probe:recipes trains a variant, continues its interrupted training or reuses its finished
// one, from the files an earlier run of the same command left in --out. Pure: the script gathers
// the facts (probeFiles.ts). A run is only reused or resumed when <name>.args.json records the very
// train arguments of this run, since the checkpoint and model alone do not say which options made them.
import { parseEvalOutput, type EvalNumbers } from './probeEvalJson';
import { trainingFinished } from './probeTrainLog';

/** <name>.args.json: the train command's arguments, and the eval command's once one succeeded. */
export interface RecordedArgs {
  train: string[];
  eval?: string[];
}

/** What an earlier run left for one variant. */
export interface VariantFiles {
  /** <name>.onnx exists */
  model: boolean;
  /** <name>.ckpt exists */
  checkpoint: boolean;
  /** <name>.train.log's text; null when there is none */
  trainLog: string | null;
  /** <name>.args.json; null when missing or unreadable */
  recorded: RecordedArgs | null;
}

export type Plan =
  | { action: 'reuse' }
  | { action: 'resume' }
  /** `reason`: why earlier files are not used; null when there were none. */
  | { action: 'train'; reason: string | null };

export function sameArgs(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((w, i) => w === b[i]);
}

export function planVariant(files: VariantFiles, trainArgs: readonly string[], fresh: boolean): Plan {
  const earlier = files.model || files.checkpoint || files.trainLog !== null || files.recorded !== null;
  if (!earlier) return { action: 'train', reason: null };
  if (fresh) return { action: 'train', reason: '--fresh' };
  if (!files.recorded) return { action: 'train', reason: 'no record of the arguments its earlier files were trained with' };
  if (!sameArgs(files.recorded.train, trainArgs)) return { action: 'train', reason: `its train arguments changed (were: ${files.recorded.train.join(' ')})` };
  if (files.model && files.trainLog !== null && trainingFinished(files.trainLog)) return { action: 'reuse' };
  // the trainer resumes a checkpoint with the arguments that made it; a finished one just writes the model
  if (files.checkpoint) return { action: 'resume' };
  return { action: 'train', reason: 'its earlier training stopped before its first checkpoint' };
}

/** The earlier evaluation's numbers, when it was made with these eval arguments and its log reads; else null. */
export function reusableEval(recorded: RecordedArgs | null, evalArgs: readonly string[], evalLog: string | null): EvalNumbers | null {
  if (!recorded || !sameArgs(recorded.eval, evalArgs) || evalLog === null) return null;
  try {
    return parseEvalOutput(evalLog);
  } catch {
    return null; // cut short or not JSON: evaluate again
  }
}

/** args.json's text as RecordedArgs; null when it is not one. */
export function parseRecordedArgs(text: string): RecordedArgs | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const words = (x: unknown): x is string[] => Array.isArray(x) && x.every((w) => typeof w === 'string');
  if (typeof v !== 'object' || v === null || !words((v as RecordedArgs).train)) return null;
  const r = v as RecordedArgs;
  return words(r.eval) ? { train: r.train, eval: r.eval } : { train: r.train };
}
