// Requests to worker threads, each answered by a reply with the request's id. A worker that fails
// or exits fails every request waiting and every one after: a pool errs, it does not hang.
import type { Worker } from 'node:worker_threads';

/** A worker's answer: the request's id, then its result, or the error it met. */
export type WorkerReply = { id: number; error: string } | { id: number };

export class WorkerRequests<Reply extends WorkerReply> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Exclude<Reply, { error: string }>) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;

  /** `what` names the workers in errors ("gradient worker"). */
  constructor(
    readonly workers: Worker[],
    private readonly what: string,
  ) {
    for (const w of workers) {
      w.on('message', (reply: Reply) => this.settle(reply));
      w.on('error', (err) => this.fail(new Error(`${what} failed: ${err.message}`)));
      w.on('exit', (code) => this.fail(new Error(`${what} exited (code ${code})`)));
    }
  }

  /** Posts the request `message(id)` to `w` and waits for its reply. */
  ask(w: Worker, message: (id: number) => unknown): Promise<Exclude<Reply, { error: string }>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage(message(id));
    });
  }

  /** Stops the workers; a request after this fails. */
  async release(): Promise<void> {
    this.fail(new Error(`the ${this.what}s were released`));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(reply: Reply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply as Exclude<Reply, { error: string }>);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}
