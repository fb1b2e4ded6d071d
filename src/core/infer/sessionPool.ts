// Loop runs on several cores: worker threads (sessionWorker.ts), each with a one-thread session of a
// model's eval graph, take runs as they come free. Independent runs (an evaluation's batches) go
// side by side; a one-thread session per core measured faster than one session on every core.
import { Worker } from 'node:worker_threads';
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';
import { WorkerRequests } from '../util/workerRequests';
import type { LoopRunner } from './loopRunner';
import type { LoopedRun } from './loopedSession';
import type { SessionRunReply, SessionRunRequest } from './sessionRuns';

export class SessionPool implements LoopRunner {
  private readonly idle: Worker[];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private released = false;
  /** Settles once every worker has opened its session or failed to. */
  readonly opened: Promise<void>;

  private constructor(
    private readonly requests: WorkerRequests<SessionRunReply>,
    readonly config: LoopedConfig,
    params: Params,
  ) {
    this.idle = [...requests.workers];
    // a failure to open is each run's to report: here it only settles
    this.opened = Promise.allSettled(requests.workers.map((w) => requests.ask(w, (id) => ({ type: 'init', id, config, params }) satisfies SessionRunRequest))).then(() => undefined);
  }

  /** `workers` threads from the bundled `script` (dist/session-worker.js), each opening the model's eval graph. */
  static start(script: string, config: LoopedConfig, params: Params, workers: number): SessionPool {
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`a session pool needs a positive whole number of workers, got ${workers}`);
    const ws = Array.from({ length: workers }, () => new Worker(script));
    return new SessionPool(new WorkerRequests(ws, 'session worker'), config, params);
  }

  get parallelism(): number {
    return this.requests.workers.length;
  }

  /** Runs on the first worker free; runs asked for while all are busy wait their turn in order. */
  async run(tokens: BigInt64Array, batch: number, width: number, steps: number): Promise<LoopedRun> {
    if (tokens.length !== batch * width) throw new Error(`tokens hold ${tokens.length} values, expected batch*width = ${batch * width}`);
    const w = this.idle.pop() ?? (await new Promise<Worker>((resolve) => this.waiting.push(resolve)));
    try {
      if (this.released) throw new Error('the session pool was released');
      const asked = this.requests.ask(w, (id) => ({ type: 'run', id, tokens, batch, width, steps }) satisfies SessionRunRequest);
      this.running.add(asked);
      const reply = await asked.finally(() => this.running.delete(asked));
      if (!('data' in reply)) throw new Error('session worker: a run was answered without its read-out');
      return { data: reply.data, steps, batch, width, vocab: this.config.vocabSize };
    } finally {
      const next = this.waiting.shift();
      if (next) next(w);
      else this.idle.push(w);
    }
  }

  /**
   * Stops the workers once their sessions are open and their runs done (a worker stopped inside ONNX
   * Runtime, opening a session or running it, takes the process down); runs waiting for a worker fail.
   */
  async release(): Promise<void> {
    this.released = true;
    await Promise.allSettled([this.opened, ...this.running]);
    await this.requests.release();
  }
}
