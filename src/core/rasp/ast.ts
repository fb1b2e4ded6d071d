// The syntax tree of a RASP-L file: expressions, statements, the pre/step/post blocks and the
// task directives (`@input …`). Every node keeps its source span for errors and traces.
import type { SourceSpan } from './errors';

export type BinaryOp = '+' | '-' | '*' | '//' | '%' | '^' | '&' | '|' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';
export type UnaryOp = '-' | 'not';

export type Expr =
  | { kind: 'int'; value: number; span: SourceSpan }
  | { kind: 'name'; name: string; span: SourceSpan }
  | { kind: 'call'; callee: Expr; args: Expr[]; kwargs: KeywordArg[]; span: SourceSpan }
  | { kind: 'lambda'; params: string[]; body: Expr; span: SourceSpan }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; span: SourceSpan }
  | { kind: 'unary'; op: UnaryOp; operand: Expr; span: SourceSpan }
  | { kind: 'cond'; test: Expr; then: Expr; otherwise: Expr; span: SourceSpan };

export interface KeywordArg {
  name: string;
  value: Expr;
  span: SourceSpan;
}

export interface Param {
  name: string;
  default?: Expr;
  span: SourceSpan;
}

export type Stmt =
  | { kind: 'assign'; target: string; value: Expr; span: SourceSpan; targetSpan: SourceSpan }
  | { kind: 'return'; value: Expr; span: SourceSpan }
  | { kind: 'pass'; span: SourceSpan };

export interface DefStmt {
  kind: 'def';
  name: string;
  params: Param[];
  body: Stmt[];
  span: SourceSpan;
  nameSpan: SourceSpan;
}

export type BlockName = 'pre' | 'step' | 'post';

export interface Block {
  name: BlockName;
  body: Stmt[];
  span: SourceSpan;
}

/** One alternative of an alphabet: a single token id or an inclusive range `lo..hi`. */
export interface AlphabetRange {
  lo: number;
  hi: number;
}

/** A piece of the input row layout: a literal token, or `count` random tokens from an alphabet. */
export type LayoutSegment = { kind: 'literal'; token: number; span: SourceSpan } | { kind: 'random'; alphabet: AlphabetRange[]; count: string; span: SourceSpan };

export interface LengthRange {
  name: string;
  min: number;
  max: number;
  span: SourceSpan;
}

export type Directive =
  | { kind: 'task'; name: string; span: SourceSpan }
  | { kind: 'vocab'; value: number; span: SourceSpan }
  | { kind: 'pad'; value: number; span: SourceSpan }
  | { kind: 'ignore'; value: number; span: SourceSpan }
  | { kind: 'answer'; token: number; span: SourceSpan }
  | { kind: 'output'; name: string; span: SourceSpan }
  | { kind: 'input'; segments: LayoutSegment[]; span: SourceSpan }
  | { kind: 'lengths'; ranges: LengthRange[]; span: SourceSpan }
  | { kind: 'steps'; expr: Expr; span: SourceSpan }
  | { kind: 'width'; expr: Expr; span: SourceSpan }
  | { kind: 'symbols'; symbols: string[]; span: SourceSpan };

export type DirectiveKind = Directive['kind'];

export const DIRECTIVE_KINDS: readonly DirectiveKind[] = ['task', 'vocab', 'pad', 'ignore', 'answer', 'output', 'input', 'lengths', 'steps', 'width', 'symbols'];

/** A parsed file. Top-level assignments run once, before `pre:`; then `step:` runs T times; then `post:`. */
export interface Program {
  file: string;
  source: string;
  directives: Directive[];
  defs: DefStmt[];
  /** Top-level statements in source order (assignments and pass). */
  top: Stmt[];
  blocks: Partial<Record<BlockName, Block>>;
}
