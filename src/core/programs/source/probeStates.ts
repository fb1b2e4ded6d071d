// The hidden states of a probe set's random inputs at any loop iteration, without keeping them all.
// The model runs on fixed parts of the inputs (whole parts are fitted or held out) through the
// resumable state graph, a few iterations per run. The state after every `every`-th iteration is
// kept (float32, every input); any other iteration is recomputed from the kept state before it, so
// a probe there runs at most every - 1 iterations. Kept states are capped: past the cap every
// other one is dropped and the interval doubles.
import type { LoopStateSession } from '../../infer/stateSession';

/** Rows [start, start + count) of the inputs, run together and all fitted or all held out. */
export interface StatePart {
  start: number;
  count: number;
  train: boolean;
}

/** One iteration's states: per part, hidden [count, width, d] and read-out logits [count, width, vocab]. */
export interface IterationStates {
  step: number;
  hidden: Float32Array[];
  logits: Float32Array[];
}

export interface ProbeStatesOptions {
  /** Keep the state after every this many iterations (default 8). */
  every?: number;
  /** Bytes of kept states before the interval doubles (default 32 MiB). */
  keepBytes?: number;
}

const bytesOf = (s: { hidden: Float32Array[]; logits: Float32Array[] }) => [...s.hidden, ...s.logits].reduce((a, x) => a + x.byteLength, 0);

export class ProbeStates {
  private readonly tokens: BigInt64Array[];
  /** Iteration → per part the state after it and its read-out. */
  private readonly kept = new Map<number, { hidden: Float32Array[]; logits: Float32Array[] }>();
  private every: number;
  private readonly keepBytes: number;
  /** The last iteration asked for (a probe is often asked again at the same iteration). */
  private last: IterationStates | null = null;

  constructor(
    private readonly session: LoopStateSession,
    rows: readonly (readonly number[])[],
    readonly width: number,
    readonly parts: readonly StatePart[],
    o: ProbeStatesOptions = {},
  ) {
    this.every = o.every ?? 8;
    this.keepBytes = o.keepBytes ?? 32 * 2 ** 20;
    if (!Number.isInteger(this.every) || this.every < 1) throw new Error(`every must be a positive integer, got ${this.every}`);
    this.tokens = parts.map((p) => {
      const t = new BigInt64Array(p.count * width);
      for (let i = 0; i < p.count; i++) for (let q = 0; q < width; q++) t[i * width + q] = BigInt(rows[p.start + i]![q]!);
      return t;
    });
  }

  /** Bytes held between calls: the kept states and the last iteration asked for. */
  get keptBytes(): number {
    let n = 0;
    for (const k of this.kept.values()) n += bytesOf(k);
    if (this.last && !this.kept.has(this.last.step)) n += bytesOf(this.last);
    return n;
  }

  /** The iterations whose states are kept, in order. */
  get keptIterations(): number[] {
    return [...this.kept.keys()].sort((a, b) => a - b);
  }

  private keep(step: number, hidden: Float32Array[], logits: Float32Array[]): void {
    if (step % this.every !== 0) return;
    this.kept.set(step, { hidden, logits });
    let bytes = 0;
    for (const k of this.kept.values()) bytes += bytesOf(k);
    while (bytes > this.keepBytes && this.kept.size > 0) {
      this.every *= 2;
      bytes = 0;
      for (const [t, k] of this.kept) {
        if (t % this.every !== 0) this.kept.delete(t);
        else bytes += bytesOf(k);
      }
    }
  }

  /** The kept iteration nearest below or at `step` and its states (0 and null: the start). */
  private from(step: number): { at: number; states: (Float32Array | null)[] } {
    let at = 0;
    for (const t of this.kept.keys()) if (t <= step && t > at) at = t;
    return { at, states: this.kept.get(at)?.hidden ?? this.parts.map(() => null) };
  }

  /** The end of the run that starts after iteration `t0` on the way to `to`: the next multiple of `every`, or `to`. */
  private blockEnd(t0: number, to: number): number {
    return Math.min(to, (Math.floor(t0 / this.every) + 1) * this.every);
  }

  private async runPart(i: number, start: Float32Array | null, steps: number) {
    const p = this.parts[i]!;
    return this.session.run(this.tokens[i]!, p.count, this.width, steps, start);
  }

  /** The state after iteration t of a run's [steps, count, width, d] hidden output (a copy: the output is let go). */
  private slice(hidden: Float32Array, part: number, k: number): Float32Array {
    const n = this.parts[part]!.count * this.width * this.session.config.d;
    return hidden.slice(k * n, (k + 1) * n);
  }

  /** The states after iteration `step`, from the kept state before it. */
  async at(step: number): Promise<IterationStates> {
    if (!Number.isInteger(step) || step < 1) throw new Error(`step must be a positive integer, got ${step}`);
    if (this.last?.step === step) return this.last;
    const kept = this.kept.get(step);
    if (kept) return (this.last = { step, ...kept });
    let { at, states } = this.from(step);
    let logits: Float32Array[] = [];
    while (at < step) {
      const end = this.blockEnd(at, step);
      const next: Float32Array[] = [];
      logits = [];
      for (let i = 0; i < this.parts.length; i++) {
        const r = await this.runPart(i, states[i]!, end - at);
        next.push(this.slice(r.hidden, i, end - at - 1));
        logits.push(r.logits);
      }
      this.keep(end, next, logits);
      states = next;
      at = end;
    }
    this.last = { step, hidden: states as Float32Array[], logits };
    return this.last;
  }

  /**
   * Every iteration 1..steps in order: `visit` gets the states of all parts (valid only during the
   * call). Keeps states on the way. `between` is awaited between model runs (other work goes first).
   */
  async walk(steps: number, visit: (step: number, hidden: Float32Array[]) => Promise<void> | void, between: () => Promise<void>): Promise<void> {
    let at = 0;
    let states: (Float32Array | null)[] = this.parts.map(() => null);
    while (at < steps) {
      const end = this.blockEnd(at, steps);
      const runs: Float32Array[] = [];
      const logits: Float32Array[] = [];
      for (let i = 0; i < this.parts.length; i++) {
        await between();
        const r = await this.runPart(i, states[i]!, end - at);
        runs.push(r.hidden);
        logits.push(r.logits);
      }
      for (let t = at + 1; t <= end; t++) {
        const k = t - at - 1;
        const n = (i: number) => this.parts[i]!.count * this.width * this.session.config.d;
        await visit(t, runs.map((h, i) => h.subarray(k * n(i), (k + 1) * n(i))));
      }
      states = runs.map((h, i) => this.slice(h, i, end - at - 1));
      this.keep(end, states as Float32Array[], logits);
      at = end;
    }
  }
}
