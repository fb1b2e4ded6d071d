// Errors of RASP-L programs. Every error carries a 1-based line and column so the editor and
// the CLI can point at the exact spot; `kind` says which stage found it.

export type RaspErrorKind = 'syntax' | 'check' | 'runtime' | 'task';

export interface SourcePos {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 code units, like VS Code). */
  column: number;
}

export interface SourceSpan {
  start: SourcePos;
  end: SourcePos;
}

export class RaspError extends Error {
  readonly kind: RaspErrorKind;
  readonly span: SourceSpan;
  /** Names of the library/user functions the error happened inside, outermost first. */
  readonly callStack: string[];

  constructor(kind: RaspErrorKind, message: string, span: SourceSpan, callStack: string[] = []) {
    super(message);
    this.name = 'RaspError';
    this.kind = kind;
    this.span = span;
    this.callStack = callStack;
  }

  get line(): number {
    return this.span.start.line;
  }

  get column(): number {
    return this.span.start.column;
  }

  /** `file:line:col: message` (plus the call chain when inside functions). */
  format(file = '<input>'): string {
    const via = this.callStack.length > 0 ? ` (in ${this.callStack.join(' › ')})` : '';
    return `${file}:${this.line}:${this.column}: ${this.kind} error: ${this.message}${via}`;
  }
}

export function spanAt(line: number, column: number, endColumn = column + 1): SourceSpan {
  return { start: { line, column }, end: { line, column: endColumn } };
}
