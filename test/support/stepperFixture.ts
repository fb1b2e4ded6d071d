// A synthetic, fully known stepper input for tests and the visual check: the parity task, a
// hand-written parity step program (s = shift_right(s xor x, 1), as in paper.md) run in plain
// TypeScript, and a fake model trace built from it with chosen confidences, attention patterns and
// hidden states, so every number of the view model can be predicted by hand.
import { getTask } from '../../src/core/tasks';
import type { TaskExample } from '../../src/core/tasks/types';
import type { ModelTrace } from '../../src/core/infer/modelTrace';
import type { ProgramStepTrace } from '../../src/core/programs/compare/programSteps';
import { Rng } from '../../src/core/util/rng';

export interface FixtureOptions {
  bits: string;
  /** Loop steps in the trace (default n + 6). */
  steps?: number;
  layers?: number;
  /** Head 0 follows the shift selector, head 1 is uniform causal, head 2 attends to itself, others to position 0. */
  heads?: number;
  dModel?: number;
  /** Steps at which the model's answer is flipped away from the program's. */
  wrongSteps?: number[];
  seed?: number;
}

export interface StepperFixture {
  task: ReturnType<typeof getTask>;
  example: TaskExample;
  trace: ModelTrace;
  program: ProgramStepTrace;
  /** Logit margin of the winning token at the answer position, per step (index t - 1). */
  margins: number[];
}

export const PARITY_SOURCE = `# parity, one loop step (paper.md): s = shift_right(s xor x, 1)
x = tok_map(tokens, lambda t: t if t < 2 else 0)
y = seq_map(s, x, lambda a, b: a ^ b)
s = shift_right(y, 1)
`;

/** The parity step program traced by hand: variables x, y, s; one selector (shift by one). */
export function parityProgram(example: TaskExample, steps: number): ProgramStepTrace {
  const W = example.input.length;
  const x = example.input.map((t) => (t < 2 ? t : 0));
  const ys: number[][] = [new Array<number>(W).fill(0)];
  const ss: number[][] = [new Array<number>(W).fill(0)];
  for (let t = 1; t <= steps; t++) {
    const y = ss[t - 1]!.map((s, i) => s ^ x[i]!);
    ys.push(y);
    ss.push(y.map((_, i) => (i === 0 ? 0 : y[i - 1]!)));
  }
  const shift = new Uint8Array(W * W);
  for (let q = 1; q < W; q++) shift[q * W + q - 1] = 1;
  const pad = 3;
  const answers = ss.map((s) => example.input.map((_, i) => (i === example.answerStart ? s[i]! : pad)));
  return {
    file: 'parity.raspl',
    source: PARITY_SOURCE,
    width: W,
    steps,
    variables: [
      { name: 'x', line: 2, values: ss.map(() => x) },
      { name: 'y', line: 3, values: ys },
      { name: 's', line: 4, values: ss },
    ],
    selectors: [{ name: 'shift_right', line: 4, matrices: Array.from({ length: steps }, () => shift) }],
    answers,
  };
}

export function buildStepperFixture(o: FixtureOptions): StepperFixture {
  const task = getTask('parity');
  const example = task.fromText(o.bits);
  const n = example.lengths[0]!;
  const T = o.steps ?? n + 6;
  const L = o.layers ?? 1;
  const H = o.heads ?? 2;
  const d = o.dModel ?? 8;
  const W = example.input.length;
  const V = task.vocabSize;
  const program = parityProgram(example, T);
  const rng = new Rng(o.seed ?? 7);
  const wrong = new Set(o.wrongSteps ?? []);

  const logits = new Float32Array(T * W * V);
  const margins: number[] = [];
  for (let t = 1; t <= T; t++) {
    // Confidence rises until T(n), then falls: parity degrades after extra steps (paper.md).
    const margin = t <= n ? 1 + (4 * t) / n : Math.max(0.5, 5 - 0.8 * (t - n));
    margins.push(margin);
    for (let p = 0; p < W; p++) {
      let tok: number;
      let m: number;
      if (p === example.answerStart) {
        tok = program.answers[t]![p]!;
        if (wrong.has(t)) tok = 1 - tok;
        m = margin;
      } else if (example.mask[p] === 1) {
        tok = 3;
        m = 6;
      } else {
        tok = example.input[p]!;
        m = 2;
      }
      logits[(t - 1) * W * V + p * V + tok] = m;
    }
  }

  const attention = new Float32Array(T * L * H * W * W);
  for (let t = 0; t < T; t++) {
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) {
        const base = ((t * L + l) * H + h) * W * W;
        for (let q = 0; q < W; q++) {
          if (h === 0) {
            // The shift head: 0.9 on key q-1 and the rest spread over 0..q (query 0 can only see itself).
            if (q === 0) attention[base] = 1;
            else {
              for (let k = 0; k <= q; k++) attention[base + q * W + k] = 0.1 / (q + 1);
              attention[base + q * W + q - 1]! += 0.9;
            }
          } else if (h === 1) {
            for (let k = 0; k <= q; k++) attention[base + q * W + k] = 1 / (q + 1);
          } else if (h === 2) {
            attention[base + q * W + q] = 1;
          } else {
            attention[base + q * W] = 1;
          }
        }
      }
    }
  }

  // Hidden state: dimension 0 carries s (the program's state), dimension 1 carries x, the rest noise.
  const hidden = new Float32Array(T * W * d);
  const s = program.variables[2]!.values;
  const x = program.variables[0]!.values[0]!;
  for (let t = 1; t <= T; t++) {
    for (let p = 0; p < W; p++) {
      const off = ((t - 1) * W + p) * d;
      for (let k = 0; k < d; k++) hidden[off + k] = 0.05 * rng.normal();
      hidden[off] = hidden[off]! + 2 * s[t]![p]! - 1;
      hidden[off + 1] = hidden[off + 1]! + x[p]!;
    }
  }
  return { task, example, trace: { steps: T, layers: L, heads: H, width: W, vocab: V, dModel: d, logits, attention, hidden }, program, margins };
}
