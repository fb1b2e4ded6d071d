// Public API of the RASP-L language: parse + check a program, run it with a trace. Task files
// (the @ header), the editor's problems and the comparisons with models live in src/core/programs.

export { RaspError, type SourcePos, type SourceSpan, type RaspErrorKind } from './errors';
export type { Program } from './ast';
export { parseProgram, parseExpression } from './parser';
export { checkProgram } from './check';
export { runProgram, evaluateAfterSteps, MAX_STEPS, MAX_WIDTH, type RunOptions, type RunResult } from './interpreter';
export { evaluateExpression, evaluateParsed, isTrue, formatWatchValue, watchValue, type WatchValue, type ExtraNames } from './watch';
export { parsePlainInput } from './plainInput';
export { formatTrace, describeSelector, type ProgramTrace, type TraceRecord, type TraceVariable, type TraceSelector, type TracePhase, type FormatOptions } from './trace';
export { PRELUDE_SOURCE } from './prelude';
