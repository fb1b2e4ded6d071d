// Timing a planned run in its own process (dist/estimate-worker.js) for the recipe page: sends the
// recipe, folds the worker's messages into what the page shows (RecipeEstimate), and turns an exit
// without a result into a failure that says why. Cancelled when the form changes or the page
// closes. No vscode import (unit-tested with the real worker).
import { hoursText } from '../../core/train/runCost';
import type { RecipeEstimate } from '../../protocol/recipe';
import { ChildWorker, describeExit, type ChildWorkerOptions } from '../workers/childWorker';
import { parseEstimateOutbound } from './estimateWorkerMessages';
import type { EstimateWorkerInbound, EstimateWorkerOptions, EstimateWorkerOutbound } from './estimateWorkerProtocol';
import { telling } from './trainingRun';

export interface RecipeEstimateOptions {
  /** The worker script and how to run it (the protocol's parser is this module's). */
  worker: Omit<ChildWorkerOptions<EstimateWorkerOutbound>, 'onLog' | 'parse'>;
  start: EstimateWorkerOptions;
  /** Every change of what the page shows, the last one final. */
  onUpdate: (e: RecipeEstimate) => void;
  log?: (line: string) => void;
}

/** "about 2.1 h of wall time (3.5 h of CPU time) on 2 thread(s), at load average 0.4": what the page says first. */
function headlineOf(m: Extract<EstimateWorkerOutbound, { type: 'result' }>): string {
  return `about ${hoursText(m.wallSeconds * 1000)} of wall time (${hoursText(m.cpuSeconds * 1000)} of CPU time) on ${m.threads}, at load average ${m.loadAverage.toFixed(1)}`;
}

/** The estimate after worker message `m`; unchanged by messages that say nothing of it. */
export function applyEstimateMessage(e: RecipeEstimate, m: EstimateWorkerOutbound): RecipeEstimate {
  const points = e.status === 'failed' ? [] : e.points;
  switch (m.type) {
    case 'point':
      return { status: 'timing', done: m.done, total: m.total, points: [...points, m.text] };
    case 'result':
      return { status: 'done', points, cpuSeconds: m.cpuSeconds, wallSeconds: m.wallSeconds, headline: headlineOf(m), projection: m.text };
    case 'error':
      return { status: 'failed', message: m.message };
    default:
      return e;
  }
}

export class RecipeEstimateRun {
  private current: RecipeEstimate = { status: 'timing', done: 0, total: 0, points: [] };
  private readonly worker: ChildWorker<EstimateWorkerInbound, EstimateWorkerOutbound>;
  private cancelled = false;
  /** Resolves with the last estimate once the worker has exited; undefined when cancelled. */
  readonly finished: Promise<RecipeEstimate | undefined>;

  constructor(o: RecipeEstimateOptions) {
    this.worker = new ChildWorker<EstimateWorkerInbound, EstimateWorkerOutbound>({ ...o.worker, parse: parseEstimateOutbound, onLog: o.log });
    const update = (e: RecipeEstimate) => {
      this.current = e;
      if (!this.cancelled) o.onUpdate(e);
    };
    this.worker.onMessage((m) => {
      if (m.type === 'log') o.log?.(m.message);
      if (m.type === 'ready') this.worker.send({ type: 'start', options: o.start });
      const next = applyEstimateMessage(this.current, m);
      if (next !== this.current) update(next);
    });
    this.finished = this.worker.exited.then((exit) => {
      if (this.cancelled) return undefined;
      if (this.current.status === 'timing') {
        const why = this.worker.protocolError ?? telling(this.worker.lastLines).join(' ');
        update({ status: 'failed', message: `the timing process stopped (${describeExit(exit)})${why ? `: ${why}` : ''}` });
      }
      return this.current;
    });
  }

  /** The estimate so far (a page shown again gets it back). */
  get state(): RecipeEstimate {
    return this.current;
  }

  /** Whether the worker is still timing (or starting). */
  get running(): boolean {
    return !this.worker.hasExited;
  }

  /** Stops the timing; nothing is reported after it. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.worker.endInput();
    // a step under way finishes before the worker reads its input again: no need to wait for it
    setTimeout(() => this.worker.kill(), 2000).unref();
  }
}
