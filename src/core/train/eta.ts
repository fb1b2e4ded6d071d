// The remaining-time estimate a training run reports with its progress.
import type { Task } from '../tasks/types';
import { nPointsOf, stageAt } from './stages';
import type { TrainRecipe } from './recipe';
import { batchKindAt, kindShape } from './recipeBatch';

/**
 * Remaining-time estimate. The work of a step grows with the curriculum: the graph runs each
 * example for T(n_i) iterations (~n_points/2 on average) over rows of the batch's width (which
 * grows too with widthMode 'curriculum'). Time is modelled as ms = a * width * (overhead + mean T),
 * `a` is tracked from the observed steps, and the remaining work is summed over the remaining curriculum.
 */
export class EtaEstimator {
  private msPerWork: number | undefined;
  private observed = 0;
  private readonly overhead = 2;

  constructor(
    private readonly task: Task,
    private readonly recipe: TrainRecipe,
  ) {}

  private work(step: number): number {
    const kind = batchKindAt(this.recipe, step);
    const { nPoints, longShare: share, answerHold: hold } = kind;
    // A fixed-depth run loops every example the same number of times; a long share puts part of each batch at the longest length.
    const meanLength = (1 - share) * (nPoints / 2) + share * (nPoints - 1);
    // An answer hold reads each example a uniform 0..hold steps late.
    const meanT = this.recipe.fixedSteps ?? meanLength * (this.task.name === 'multiplication' ? 1.5 : 1) + hold / 2;
    return kindShape(this.recipe, kind).width * (this.overhead + meanT);
  }

  observe(step: number, ms: number): void {
    this.observed++;
    // A session's first step includes ONNX Runtime's warm-up (many times a normal step at a resumed
    // run's full length), so it is left out; then a plain mean, so the estimate settles in a few
    // steps, that becomes a moving average.
    if (this.observed === 1) return;
    const rate = ms / this.work(step);
    const weight = Math.max(0.05, 1 / (this.observed - 1));
    this.msPerWork = this.msPerWork === undefined ? rate : (1 - weight) * this.msPerWork + weight * rate;
  }

  /** The expected time of 0-based step `step`. */
  msPerStep(step: number): number {
    return (this.msPerWork ?? 0) * this.work(step);
  }

  /** Seconds for steps `done` .. recipe.steps-1. */
  remainingSeconds(done: number): number {
    if (this.msPerWork === undefined) return NaN;
    const r = this.recipe;
    const c = r.curriculum;
    let work = 0;
    let s = done;
    while (s < r.steps) {
      // Segments of one n_points and long share: a curriculum length, or a whole stage.
      const stage = stageAt(r, s);
      const np = nPointsOf(r, s);
      const segEnd = stage.index >= 0 || np >= c.end ? stage.to : Math.min(stage.to, (np - c.start + 1) * c.interval);
      work += (segEnd - s) * this.work(s);
      s = segEnd;
    }
    return (work * this.msPerWork) / 1000;
  }
}
