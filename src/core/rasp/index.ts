// Public API of RASP-L in LoopLens: parse + check a file, load a task file, run with a trace.
// (src/core/compare/fromRaspTrace.ts adapts a trace to the comparison layer's per-step arrays.)

export { RaspError, type SourcePos, type SourceSpan, type RaspErrorKind } from './errors';
export type { Program } from './ast';
export { parseProgram } from './parser';
export { checkProgram } from './check';
export { runProgram, MAX_STEPS, MAX_WIDTH, type RunOptions, type RunResult } from './interpreter';
export { RaspTask, taskFromProgram, parsePlainInput, type RaspExample, type RowMatch } from './taskFile';
export { formatTrace, describeSelector, type ProgramTrace, type TraceRecord, type TraceVariable, type TraceSelector, type TracePhase, type FormatOptions } from './trace';
export { PRELUDE_SOURCE } from './prelude';
export { diagnose, SAMPLE_INPUT, type Problem } from './diagnose';
export { analyze, loadTask, dryRunTask, type Analysis } from './analyze';
