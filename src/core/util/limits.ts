// The resource limits LoopLens states and enforces before it allocates anything: every file it
// reads, every model shape it builds, every input it traces and every evaluation or training run is
// checked against these numbers first, so a bad or hostile input ends in a clear message instead of
// exhausting the machine (README: "What LoopLens guarantees about model files and inputs").
// One table, so the CLI, the extension, the README and the reliability suite agree.

const MiB = 1024 * 1024;

export const LIMITS = {
  /** Largest model file read (bytes): room for LIMITS.parameters float32 weights and the graph. */
  modelFileBytes: 160 * MiB,
  /** Largest training checkpoint read (parameters and two AdamW moments). */
  checkpointFileBytes: 480 * MiB,
  /** Largest RASP-L source read (a task file or a program). */
  raspSourceBytes: 1 * MiB,
  /** Model shape: width d, layers in the looped block, heads, vocabulary, MLP ratio. */
  d: 4096,
  layers: 64,
  heads: 1024,
  vocabSize: 4096,
  mlpRatio: 16,
  /** Parameters of one model (32 M: 128 MiB of float32 weights). */
  parameters: 32 * 1024 * 1024,
  /** Longest input length n (evaluation lengths, training lengths, RASP-L @lengths). */
  length: 500,
  /** Widest row (positions) a task, a trace or an evaluation may use. */
  rowWidth: 4096,
  /** Most loop steps one run may unroll (trace, evaluation, RASP-L @steps). */
  steps: 10_000,
  /** Longest typed input (characters) for a trace or the stepper. */
  inputChars: 20_000,
  /** Outputs of one trace (read-out, attention of every head, hidden state of every step), estimated before it runs. */
  traceBytes: 256 * MiB,
  /** The random inputs behind one length-calibrated stop (their read-out of every step). */
  calibrationBytes: 512 * MiB,
  /** One evaluation batch: its read-out of every step plus the largest activations of one step. */
  evalBatchBytes: 1024 * MiB,
  /** A training run may use at most this share of the machine's memory (estimated before it starts). */
  trainMemoryShare: 0.75,
} as const;

/** 1536 → "1.5 KiB"; for messages that state an estimate and a limit. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return 'an unbounded amount';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Thrown when a request would go over one of LIMITS; the message states the estimate and the limit. */
export class ResourceLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceLimitError';
  }
}
