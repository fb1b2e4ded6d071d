// A last stage run as branches (RecipeStage.branches): each branch starts again from the weights,
// and the weight average, the run had at the stage's first step, with fresh AdamW moments and its own
// data, and the run saves the mean of the branches' saved weights. Not in the paper: runs of one
// stage from the same weights miss different late answer slots, and a mean of their weights keeps
// about what the best of them gets right (models/README.md, Copy). stages.ts maps the steps to
// branches; this file carries what a branch needs from the ones before it.
import * as path from 'node:path';
import { cloneParams, type Params } from '../model/params';
import { Rng } from '../util/rng';
import type { TrainRecipe } from './recipe';
import { stageAt } from './stages';
import { addToAverage, savedWeights, type WeightAverage } from './weightAverage';

/** What a run in a branched stage carries beside its weights (and through a checkpoint). */
export interface BranchState {
  /** The branch the run's current weights belong to (0-based). */
  branch: number;
  /** The weights the stage started from: every branch starts here. */
  start: Params;
  /** The weight average as it stood when the stage started (a recipe averaging from before the stage). */
  startAverage?: WeightAverage;
  /** The mean of the finished branches' saved weights. */
  done?: WeightAverage;
  /**
   * Each finished branch's own saved weights, in order, so a run can keep every branch as a model
   * (`looplens train --keep-branches`); empty in a checkpoint written before LoopLens kept them.
   */
  finished: Params[];
}

/** The branch the update at 0-based `step` belongs to; undefined outside a branched stage. */
export function branchAt(r: Pick<TrainRecipe, 'curriculum' | 'steps' | 'schedule' | 'stages'>, step: number): number | undefined {
  return stageAt(r, step).branch;
}

/** Branch k's data stream (k >= 1; branch 0 goes on with the run's): the seed's root stream's next forks after the initialisation's and the data's (runState.ts seededStreams). */
export function branchDataStream(seed: number, k: number): Rng {
  const root = new Rng(seed);
  root.fork(); // the initialisation
  root.fork(); // the run's data
  let stream = root.fork();
  for (let i = 1; i < k; i++) stream = root.fork();
  return stream;
}

/** The weights the run saves now: the current branch's own (its average, if any) meaned with the finished branches'. */
export function weightsToSave(current: Params, average: WeightAverage | undefined, branches: BranchState | undefined): Params {
  const own = savedWeights(current, average);
  const done = branches?.done;
  return done ? addToAverage(copyAverage(done), own).params : own;
}

/** A copy of a weight average (a branch changes its own, not the stage's starting one). */
export function copyAverage(avg: WeightAverage | undefined): WeightAverage | undefined {
  return avg && { params: cloneParams(avg.params), count: avg.count };
}

/** The state a run enters a branched stage with: its weights and average at the stage's first step. */
export function firstBranch(params: Params, average: WeightAverage | undefined): BranchState {
  return { branch: 0, start: cloneParams(params), startAverage: copyAverage(average), finished: [] };
}

/**
 * The state after branch `state.branch` ends and branch `next` starts: the finished branch's saved
 * weights join the mean. The caller restarts the weights from `state.start`, the average from
 * `state.startAverage` and the data from branchDataStream.
 */
export function nextBranch(state: BranchState, next: number, finishedWeights: Params): BranchState {
  if (next !== state.branch + 1) throw new Error(`branches: branch ${next} cannot follow branch ${state.branch}`);
  return { ...state, branch: next, done: addToAverage(copyAverage(state.done), finishedWeights), finished: [...state.finished, cloneParams(finishedWeights)] };
}

/**
 * Every branch's own saved weights at the end of a branched stage, the current (last) branch's
 * included; null for a branch that finished in a run resumed from a checkpoint that did not keep it.
 */
export function eachBranchWeights(current: Params, average: WeightAverage | undefined, state: BranchState): (Params | null)[] {
  const lost = state.branch - state.finished.length;
  return [...Array<null>(lost).fill(null), ...state.finished, savedWeights(current, average)];
}

/** Where a kept branch's model goes (trainJob.ts keepBranches): runs/copy-cpu.onnx, branch 2 → runs/copy-cpu-branch2.onnx. */
export function branchModelPath(modelPath: string, index: number): string {
  const ext = path.extname(modelPath);
  return `${ext === '' ? modelPath : modelPath.slice(0, -ext.length)}-branch${index}${ext === '' ? '.onnx' : ext}`;
}
