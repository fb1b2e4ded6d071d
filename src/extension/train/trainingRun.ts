// One training run in its own process (dist/train-worker.js): sends the start options, folds the
// worker's messages into the panel's state, cancels cleanly (the worker checkpoints first), and
// turns an exit without a result into an error. No vscode import (unit-tested with the real worker).
import type { WorkerInbound, WorkerOutbound, WorkerStartOptions } from '../../core/train/workerProtocol';
import { parseWorkerOutbound } from '../../core/train/workerMessages';
import type { TrainingSetup, TrainingViewState } from '../../protocol/training';
import { ChildWorker, type ChildWorkerOptions } from '../workers/childWorker';
import { applyWorkerExit, applyWorkerMessage, initialTrainingState, markCancelling } from './trainingState';

export interface TrainingRunOptions {
  /** The worker script and how to run it (the protocol's parser is this module's). */
  worker: Omit<ChildWorkerOptions<WorkerOutbound>, 'onLog' | 'parse'>;
  start: WorkerStartOptions;
  setup: TrainingSetup;
  /** The run this one resumes (its curves are kept up to the checkpoint). */
  previous?: TrainingViewState;
  /** Worker stderr and 'log' messages. */
  log?: (line: string) => void;
}

/** The lines of a dying process's output worth showing: its error lines (e.g. "Error: Cannot find module …"), else the last few. */
export function telling(lines: readonly string[]): string[] {
  const errors = lines.filter((l) => /\b[A-Za-z]*Error\b|out of memory|Aborted|Killed/.test(l));
  return errors.length > 0 ? errors.slice(-2) : lines.slice(-3);
}

/** If the worker has not stopped this long after Cancel (a stuck step), it is killed. */
const CANCEL_GRACE_MS = 60_000;

export class TrainingRun {
  private current: TrainingViewState;
  private readonly worker: ChildWorker<WorkerInbound, WorkerOutbound>;
  private readonly listeners: ((s: TrainingViewState) => void)[] = [];
  private killTimer: ReturnType<typeof setTimeout> | undefined;
  /** Resolves with the final state once the worker has exited. */
  readonly finished: Promise<TrainingViewState>;

  constructor(o: TrainingRunOptions) {
    const log = o.log ?? (() => undefined);
    this.current = initialTrainingState(o.setup, o.previous);
    this.worker = new ChildWorker<WorkerInbound, WorkerOutbound>({ ...o.worker, parse: parseWorkerOutbound, onLog: log });
    this.worker.onMessage((m) => {
      if (m.type === 'log') log(m.message);
      if (m.type === 'ready') this.worker.send({ type: 'start', options: o.start });
      this.update(applyWorkerMessage(this.current, m));
    });
    this.finished = this.worker.exited.then((exit) => {
      clearTimeout(this.killTimer);
      this.update(applyWorkerExit(this.current, exit, telling(this.worker.lastLines), this.worker.protocolError));
      return this.current;
    });
  }

  /** The worker's process id (tests kill it to check the "stopped unexpectedly" path). */
  get pid(): number | undefined {
    return this.worker.pid;
  }

  get state(): TrainingViewState {
    return this.current;
  }

  get isActive(): boolean {
    return !this.worker.hasExited && (this.current.status === 'starting' || this.current.status === 'running' || this.current.status === 'cancelling');
  }

  onChange(listener: (s: TrainingViewState) => void): { dispose(): void } {
    this.listeners.push(listener);
    return { dispose: () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1) };
  }

  /** Asks the worker to checkpoint and stop; it is killed if it does not within a minute. */
  cancel(): void {
    if (!this.isActive || this.current.status === 'cancelling') return;
    this.update(markCancelling(this.current));
    this.worker.send({ type: 'cancel' });
    this.killTimer = setTimeout(() => this.worker.kill('SIGKILL'), CANCEL_GRACE_MS);
  }

  /** Stops at once without waiting for a checkpoint (closing the host): closing stdin still makes the worker checkpoint if it can. */
  dispose(): void {
    this.worker.endInput();
  }

  private update(next: TrainingViewState): void {
    if (next === this.current) return;
    this.current = next;
    for (const l of [...this.listeners]) l(next);
  }
}
