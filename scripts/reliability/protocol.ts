// Messages between the reliability suite (scripts/reliability.ts) and its workers, and what counts
// as an internal error in a message a user would see.
import type { VariantFamily } from './modelVariants';

export type CaseSpec = { kind: 'model'; family: VariantFamily; seed: number } | { kind: 'raspl'; seed: number } | { kind: 'cli'; index: number } | { kind: 'huge'; index: number };
export type CaseRequest = CaseSpec & { id: number };

/** ok: the right answer; clean: the project's own error message; wrong: exit 0 with a wrong answer (or a failure accepted); crash: an internal error. */
export interface CaseResult {
  outcome: 'ok' | 'clean' | 'wrong' | 'crash';
  detail: string;
}

export type CaseReply = CaseResult & { id: number; ms: number };

/** Text that must never reach a user: JavaScript's own errors, Node's, ONNX Runtime's raw output, stack traces. */
export const INTERNAL = new RegExp(
  [
    'TypeError',
    'ReferenceError',
    'RangeError',
    'SyntaxError: Unexpected',
    'Cannot read propert',
    'Cannot destructure',
    'is not a function',
    'is not iterable',
    'argument is ambiguous',
    'Invalid array length',
    'Maximum call stack',
    'traceFromBatch',
    'ONNXRuntimeError',
    'ERR_[A-Z_]{4,}',
    '\\bE[A-Z]{3,}: [a-z]', // Node's raw errno text, e.g. "ENXIO: no such device or address, open …"
    `${String.fromCharCode(27)}\\[`,
    '\\n\\s+at .+:\\d+:\\d+',
  ].join('|'),
);
