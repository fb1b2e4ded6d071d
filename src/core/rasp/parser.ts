// Recursive-descent parser for RASP-L (a small Python-like language). It never throws: each
// statement that fails to parse adds one error and parsing resumes at the next line, so the
// editor can show every broken line at once.
import type { AlphabetRange, BinaryOp, Block, BlockName, DefStmt, Directive, Expr, KeywordArg, LayoutSegment, LengthRange, Param, Program, Stmt } from './ast';
import { DIRECTIVE_KINDS } from './ast';
import { RaspError, type SourceSpan } from './errors';
import { KEYWORDS, tokenize, type Token } from './lexer';

export interface ParseResult {
  program: Program;
  /** Lexer and parser errors, in source order. Empty when the file parsed cleanly. */
  errors: RaspError[];
}

/** Expressions deeper than this are rejected (keeps recursion, and the host's stack, bounded). */
const MAX_NESTING = 80;
/** Longest run of binary operators in one expression (`1 + 1 + …` builds a deep tree). */
const MAX_CHAIN = 200;

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const CONTROL_FLOW = new Set(['if', 'elif', 'else', 'for', 'while', 'import', 'from', 'class', 'with', 'try']);
const BLOCK_NAMES = new Set<BlockName>(['pre', 'step', 'post']);

export function parseProgram(source: string, file = '<input>'): ParseResult {
  const lexed = tokenize(source);
  const parser = new Parser(lexed.tokens, file, source);
  const program = parser.parseFile();
  // One error per line: a lexer error usually causes a follow-on parser error on the same line.
  const errors = [...lexed.errors, ...parser.errors]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .filter((e, i, all) => i === 0 || all[i - 1]!.line !== e.line);
  return { program, errors };
}

/**
 * Parses one expression on its own (a debugger watch or a breakpoint condition). Throws the first
 * RaspError('syntax'), located in `source` (line 1, 1-based columns).
 */
export function parseExpression(source: string): Expr {
  if (source.trim() === '') throw new RaspError('syntax', 'the expression is empty', { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
  if (/[\r\n]/.test(source.trim())) throw new RaspError('syntax', 'an expression is one line', { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
  const lead = source.length - source.trimStart().length;
  const lexed = tokenize(source.trim());
  const shift = (e: RaspError) => new RaspError('syntax', e.message, { start: { line: 1, column: e.span.start.column + lead }, end: { line: 1, column: e.span.end.column + lead } });
  if (lexed.errors.length > 0) throw shift(lexed.errors[0]!);
  try {
    return new Parser(lexed.tokens, '<expression>', source).parseLoneExpression(lead);
  } catch (e) {
    if (e instanceof RaspError) throw shift(e);
    throw e;
  }
}

class Parser {
  readonly errors: RaspError[] = [];
  private i = 0;
  private nesting = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
    private readonly source: string,
  ) {}

  // ---- token helpers -------------------------------------------------------------------
  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'op' && t.text === text;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'name' && t.text === word;
  }

  private fail(message: string, at: Token = this.peek()): never {
    throw new RaspError('syntax', message, at.span);
  }

  private describe(t: Token): string {
    switch (t.type) {
      case 'eof':
        return 'end of file';
      case 'newline':
        return 'end of line';
      case 'indent':
        return 'an indented line';
      case 'dedent':
        return 'the end of the block';
      case 'string':
        return `string "${t.text}"`;
      default:
        return `"${t.text}"`;
    }
  }

  private expectOp(text: string, context: string): Token {
    if (this.isOp(text)) return this.next();
    const t = this.peek();
    this.fail(`expected "${text}" ${context}, found ${this.describe(t)}`, t);
  }

  private expectName(context: string): Token {
    const t = this.peek();
    if (t.type !== 'name') this.fail(`expected a name ${context}, found ${this.describe(t)}`, t);
    if (KEYWORDS.has(t.text)) this.fail(`"${t.text}" is a keyword and cannot be used ${context}`, t);
    return this.next();
  }

  private expectNewline(context: string): void {
    const t = this.peek();
    if (t.type === 'newline') {
      this.next();
      return;
    }
    if (t.type === 'eof' || t.type === 'dedent') return;
    if (t.type === 'op' && t.text === '=') this.fail(`unexpected "=" ${context}: use "==" to compare`, t);
    this.fail(`unexpected ${this.describe(t)} ${context}`, t);
  }

  private join(a: SourceSpan, b: SourceSpan): SourceSpan {
    return { start: a.start, end: b.end };
  }

  /** After an error: skip the rest of the logical line, and any block indented below it. */
  private recover(): void {
    while (this.peek().type !== 'newline' && this.peek().type !== 'eof') {
      if (this.peek().type === 'dedent' || this.peek().type === 'indent') break;
      this.next();
    }
    if (this.peek().type === 'newline') this.next();
    if (this.peek().type === 'indent') this.skipBlock();
  }

  private skipBlock(): void {
    let level = 0;
    do {
      const t = this.next();
      if (t.type === 'indent') level++;
      else if (t.type === 'dedent') level--;
      else if (t.type === 'eof') return;
    } while (level > 0);
  }

  // ---- file and statements ---------------------------------------------------------------
  parseFile(): Program {
    const program: Program = { file: this.file, source: this.source, directives: [], defs: [], top: [], blocks: {} };
    while (this.peek().type !== 'eof') {
      const t = this.peek();
      if (t.type === 'newline') {
        this.next();
        continue;
      }
      if (t.type === 'indent') {
        this.errors.push(new RaspError('syntax', 'unexpected indentation: only the bodies of def, pre:, step: and post: are indented', t.span));
        this.skipBlock();
        continue;
      }
      if (t.type === 'dedent') {
        this.next();
        continue;
      }
      try {
        if (this.isOp('@')) program.directives.push(this.parseDirective());
        else if (this.isKeyword('def')) program.defs.push(this.parseDef());
        else if (t.type === 'name' && BLOCK_NAMES.has(t.text as BlockName) && this.isOp(':', 1)) {
          const block = this.parseBlock();
          if (program.blocks[block.name] !== undefined) this.errors.push(new RaspError('syntax', `duplicate "${block.name}:" block: a file has at most one`, block.span));
          else program.blocks[block.name] = block;
        } else program.top.push(this.parseStatement('at the top level'));
      } catch (e) {
        if (!(e instanceof RaspError)) throw e;
        this.errors.push(e);
        this.recover();
      }
    }
    return program;
  }

  /** One expression and nothing after it; spans are shifted right by `lead` columns. */
  parseLoneExpression(lead: number): Expr {
    const e = this.parseExpr();
    const t = this.peek();
    if (t.type === 'op' && t.text === '=') this.fail('an assignment is not an expression: use "==" to compare', t);
    if (t.type !== 'newline' && t.type !== 'eof') this.fail(`unexpected ${this.describe(t)} after the expression`, t);
    return lead === 0 ? e : shiftSpans(e, lead);
  }

  private parseBlock(): Block {
    const head = this.next();
    this.next(); // ':'
    const body = this.parseSuite(`"${head.text}:"`);
    return { name: head.text as BlockName, body, span: head.span };
  }

  private parseDef(): DefStmt {
    const defTok = this.next();
    const name = this.expectName('after "def"');
    this.expectOp('(', `after the function name "${name.text}"`);
    const params: Param[] = [];
    const seen = new Set<string>();
    while (!this.isOp(')')) {
      const p = this.expectName('as a parameter');
      if (seen.has(p.text)) this.fail(`duplicate parameter "${p.text}"`, p);
      seen.add(p.text);
      let def: Expr | undefined;
      if (this.isOp('=')) {
        this.next();
        def = this.parseExpr();
      } else if (params.some((q) => q.default !== undefined)) {
        this.fail(`parameter "${p.text}" without a default follows one with a default`, p);
      }
      params.push(def === undefined ? { name: p.text, span: p.span } : { name: p.text, default: def, span: p.span });
      if (!this.isOp(')')) this.expectOp(',', 'between parameters');
    }
    this.next();
    if (this.isOp('->')) this.fail('type annotations are not supported');
    this.expectOp(':', `after "def ${name.text}(…)"`);
    const body = this.parseSuite(`"def ${name.text}"`);
    return { kind: 'def', name: name.text, params, body, span: defTok.span, nameSpan: name.span };
  }

  /** A block body: an indented run of statements, or one statement on the same line. */
  private parseSuite(owner: string): Stmt[] {
    if (this.peek().type !== 'newline') return [this.parseStatement(`in ${owner}`)];
    this.next();
    if (this.peek().type !== 'indent') this.fail(`expected an indented block after ${owner}`);
    this.next();
    const body: Stmt[] = [];
    while (this.peek().type !== 'dedent' && this.peek().type !== 'eof') {
      if (this.peek().type === 'newline') {
        this.next();
        continue;
      }
      try {
        if (this.isKeyword('def')) this.fail('def is only allowed at the top level (functions cannot be nested)');
        if (this.isOp('@')) this.fail('directives (@…) belong at the top level of the file');
        const t = this.peek();
        if (t.type === 'name' && BLOCK_NAMES.has(t.text as BlockName) && this.isOp(':', 1)) this.fail(`"${t.text}:" blocks belong at the top level of the file`);
        if (t.type === 'indent') this.fail('unexpected indentation');
        body.push(this.parseStatement(`in ${owner}`));
      } catch (e) {
        if (!(e instanceof RaspError)) throw e;
        this.errors.push(e);
        this.recover();
      }
    }
    if (this.peek().type === 'dedent') this.next();
    return body;
  }

  private parseStatement(where: string): Stmt {
    const t = this.peek();
    if (this.isKeyword('return')) {
      this.next();
      if (this.peek().type === 'newline' || this.peek().type === 'eof') this.fail('"return" needs a value', t);
      const value = this.parseExpr();
      this.expectNewline('after the returned expression');
      return { kind: 'return', value, span: this.join(t.span, value.span) };
    }
    if (this.isKeyword('pass')) {
      this.next();
      this.expectNewline('after "pass"');
      return { kind: 'pass', span: t.span };
    }
    if (t.type === 'name' && CONTROL_FLOW.has(t.text) && !this.isOp('=', 1)) {
      this.fail(`"${t.text}" statements are not part of RASP-L: programs have no control flow (use "a if cond else b" or where(cond, a, b))`, t);
    }
    if (t.type === 'name' && !KEYWORDS.has(t.text) && this.isOp('=', 1)) {
      this.next();
      this.next();
      const value = this.parseExpr();
      this.expectNewline('after the assignment');
      return { kind: 'assign', target: t.text, value, span: this.join(t.span, value.span), targetSpan: t.span };
    }
    if (t.type === 'name' && (this.isOp('+=', 1) || this.isOp('-=', 1))) this.fail(`augmented assignment "${this.peek(1).text}" is not supported: write ${t.text} = ${t.text} ${this.peek(1).text[0]} …`, this.peek(1));
    if (t.type === 'name' && KEYWORDS.has(t.text) && this.isOp('=', 1)) this.fail(`"${t.text}" is a keyword and cannot be assigned`, t);
    const expr = this.parseExpr();
    if (this.isOp('=')) this.fail('only a plain name can be assigned to (e.g. "x = …")', this.peek());
    this.fail(`an expression on its own does nothing ${where}: assign it to a name (e.g. "x = …")`, { ...t, span: expr.span });
  }

  // ---- directives --------------------------------------------------------------------------
  private parseDirective(): Directive {
    const at = this.next();
    const nameTok = this.peek();
    if (nameTok.type !== 'name') this.fail(`expected a directive name after "@" (one of ${DIRECTIVE_KINDS.join(', ')})`, nameTok);
    this.next();
    const kind = nameTok.text;
    const span = this.join(at.span, nameTok.span);
    let d: Directive;
    switch (kind) {
      case 'task': {
        const n = this.expectName('after @task (the task name)');
        d = { kind: 'task', name: n.text, span };
        break;
      }
      case 'vocab':
      case 'pad':
      case 'ignore':
        d = { kind, value: this.expectInt(`after @${kind}`), span };
        break;
      case 'answer': {
        if (!this.isKeyword('from')) this.fail('expected "@answer from TOKEN" (the answer starts at the first position holding TOKEN)');
        this.next();
        d = { kind: 'answer', token: this.expectInt('after "@answer from"'), span };
        break;
      }
      case 'output':
        d = { kind: 'output', name: this.expectName('after @output (the variable holding the answer)').text, span };
        break;
      case 'input':
        d = { kind: 'input', segments: this.parseLayout(), span };
        break;
      case 'lengths':
        d = { kind: 'lengths', ranges: this.parseLengths(), span };
        break;
      case 'steps':
      case 'width':
        d = { kind, expr: this.parseExpr(), span };
        break;
      case 'symbols': {
        const symbols: string[] = [];
        while (this.peek().type === 'string') symbols.push(this.next().text);
        if (symbols.length === 0) this.fail('expected quoted symbols after @symbols, one per token id, e.g. @symbols "0" "1" "=" "."');
        d = { kind: 'symbols', symbols, span };
        break;
      }
      default:
        this.fail(`unknown directive "@${kind}"; known directives: ${DIRECTIVE_KINDS.map((k) => '@' + k).join(', ')}`, nameTok);
    }
    this.expectNewline(`after @${kind}`);
    return d;
  }

  private expectInt(context: string): number {
    const t = this.peek();
    if (t.type !== 'int') this.fail(`expected a token id (a non-negative integer) ${context}, found ${this.describe(t)}`, t);
    this.next();
    return Number(t.text);
  }

  /** `[0 1]*n 2 [0 1]*n 5` : literals and random runs `[alphabet]*lengthName`. */
  private parseLayout(): LayoutSegment[] {
    const segments: LayoutSegment[] = [];
    while (this.peek().type !== 'newline' && this.peek().type !== 'eof') {
      const t = this.peek();
      if (t.type === 'int') {
        this.next();
        segments.push({ kind: 'literal', token: Number(t.text), span: t.span });
        continue;
      }
      if (!this.isOp('[')) this.fail(`expected a token id or "[alphabet]*length" in @input, found ${this.describe(t)}`, t);
      this.next();
      const alphabet: AlphabetRange[] = [];
      while (!this.isOp(']')) {
        const lo = this.expectInt('in the alphabet');
        let hi = lo;
        if (this.isOp('..')) {
          this.next();
          hi = this.expectInt('after ".." in the alphabet');
          if (hi < lo) this.fail(`empty range ${lo}..${hi} in the alphabet`, this.tokens[this.i - 1]);
        }
        alphabet.push({ lo, hi });
        if (this.isOp(',')) this.next();
      }
      if (alphabet.length === 0) this.fail('empty alphabet "[]" in @input', t);
      this.next();
      this.expectOp('*', 'after the alphabet (write [0 1]*n for n random tokens)');
      const count = this.expectName('after "*" (a length name such as n)');
      segments.push({ kind: 'random', alphabet, count: count.text, span: this.join(t.span, count.span) });
    }
    if (segments.length === 0) this.fail('@input needs a layout, e.g. @input [0 1]*n 2');
    return segments;
  }

  /** `n in 1..20` or `n_a in 1..2, n_b in 1..11`. */
  private parseLengths(): LengthRange[] {
    const ranges: LengthRange[] = [];
    for (;;) {
      const name = this.expectName('in @lengths (e.g. @lengths n in 1..20)');
      if (!this.isKeyword('in')) this.fail(`expected "in" after "${name.text}" (e.g. @lengths ${name.text} in 1..20)`);
      this.next();
      const min = this.expectInt('as the smallest length');
      this.expectOp('..', 'between the smallest and largest length');
      const max = this.expectInt('as the largest length');
      if (min < 1 || max < min) this.fail(`length range ${min}..${max} must satisfy 1 <= min <= max`, name);
      if (ranges.some((r) => r.name === name.text)) this.fail(`length "${name.text}" is declared twice`, name);
      ranges.push({ name: name.text, min, max, span: name.span });
      if (!this.isOp(',')) break;
      this.next();
    }
    return ranges;
  }

  // ---- expressions -------------------------------------------------------------------------
  private parseExpr(): Expr {
    if (++this.nesting > MAX_NESTING) this.fail(`expression nested too deeply (more than ${MAX_NESTING} levels)`);
    try {
      if (this.isKeyword('lambda')) return this.parseLambda();
      return this.parseCond();
    } finally {
      this.nesting--;
    }
  }

  private parseLambda(): Expr {
    const start = this.next();
    const params: string[] = [];
    while (!this.isOp(':')) {
      const p = this.expectName('as a lambda parameter');
      if (params.includes(p.text)) this.fail(`duplicate lambda parameter "${p.text}"`, p);
      params.push(p.text);
      if (!this.isOp(':')) this.expectOp(',', 'between lambda parameters');
    }
    if (params.length === 0) this.fail('a lambda needs at least one parameter', start);
    this.next();
    const body = this.parseExpr();
    return { kind: 'lambda', params, body, span: this.join(start.span, body.span) };
  }

  private parseCond(): Expr {
    const then = this.parseOr();
    if (!this.isKeyword('if')) return then;
    this.next();
    const test = this.parseOr();
    if (!this.isKeyword('else')) this.fail('expected "else" in the conditional expression "a if cond else b"');
    this.next();
    const otherwise = this.parseExpr();
    return { kind: 'cond', test, then, otherwise, span: this.join(then.span, otherwise.span) };
  }

  private binaryChain(sub: () => Expr, ops: readonly string[], keyword = false): Expr {
    let left = sub();
    for (let count = 0; ; count++) {
      const t = this.peek();
      const matches = keyword ? t.type === 'name' && ops.includes(t.text) : t.type === 'op' && ops.includes(t.text);
      if (!matches) return left;
      if (count >= MAX_CHAIN) this.fail(`expression too long (more than ${MAX_CHAIN} "${t.text}" in a row): split it with intermediate variables`, t);
      this.next();
      const right = sub();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, span: this.join(left.span, right.span) };
    }
  }

  private parseOr(): Expr {
    return this.binaryChain(() => this.parseAnd(), ['or'], true);
  }

  private parseAnd(): Expr {
    return this.binaryChain(() => this.parseNot(), ['and'], true);
  }

  private parseNot(): Expr {
    if (this.isKeyword('not')) {
      const t = this.next();
      this.nest();
      const operand = this.parseNot();
      this.nesting--;
      return { kind: 'unary', op: 'not', operand, span: this.join(t.span, operand.span) };
    }
    return this.parseComparison();
  }

  private nest(): void {
    if (++this.nesting > MAX_NESTING) this.fail(`expression nested too deeply (more than ${MAX_NESTING} levels)`);
  }

  private parseComparison(): Expr {
    const left = this.parseBitOr();
    const t = this.peek();
    if (t.type !== 'op' || !COMPARE_OPS.has(t.text)) {
      if (t.type === 'op' && t.text === '=' && this.nesting > 1) this.fail('unexpected "=": use "==" to compare', t);
      return left;
    }
    this.next();
    const right = this.parseBitOr();
    const again = this.peek();
    if (again.type === 'op' && COMPARE_OPS.has(again.text)) this.fail('chained comparisons (a < b < c) are not supported: combine them with "and"', again);
    return { kind: 'binary', op: t.text as BinaryOp, left, right, span: this.join(left.span, right.span) };
  }

  private parseBitOr(): Expr {
    return this.binaryChain(() => this.parseBitXor(), ['|']);
  }

  private parseBitXor(): Expr {
    return this.binaryChain(() => this.parseBitAnd(), ['^']);
  }

  private parseBitAnd(): Expr {
    return this.binaryChain(() => this.parseArith(), ['&']);
  }

  private parseArith(): Expr {
    return this.binaryChain(() => this.parseTerm(), ['+', '-']);
  }

  private parseTerm(): Expr {
    return this.binaryChain(() => this.parseUnary(), ['*', '//', '%']);
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (this.isOp('-') || this.isOp('+')) {
      this.next();
      this.nest();
      const operand = this.parseUnary();
      this.nesting--;
      return t.text === '+' ? operand : { kind: 'unary', op: '-', operand, span: this.join(t.span, operand.span) };
    }
    if (this.isOp('~')) this.fail('"~" is not supported: use "not x" for logical negation', t);
    return this.parsePostfix();
  }

  private parsePostfix(): Expr {
    let e = this.parseAtom();
    for (;;) {
      if (this.isOp('(')) {
        this.nest();
        e = this.parseCall(e);
        this.nesting--;
        continue;
      }
      const t = this.peek();
      if (this.isOp('**')) this.fail('"**" (power) is not supported: RASP-L values are small integers', t);
      if (this.isOp('/')) this.fail('"/" is not supported: use "//" for integer division', t);
      if (this.isOp('[')) this.fail('indexing with [] is not supported: read other positions with select/aggregate (e.g. shift_right, index_select)', t);
      if (this.isOp('.')) this.fail('attribute access "." is not supported', t);
      return e;
    }
  }

  private parseCall(callee: Expr): Expr {
    const open = this.next(); // '('
    const args: Expr[] = [];
    const kwargs: KeywordArg[] = [];
    while (!this.isOp(')')) {
      const t = this.peek();
      if (t.type === 'eof') this.fail(`"(" of this call (line ${open.span.start.line}, column ${open.span.start.column}) is never closed`, open);
      if (t.type === 'newline') this.fail(`expected ")" to close the call, found ${this.describe(t)}`, t);
      if (t.type === 'name' && this.isOp('=', 1)) {
        this.next();
        this.next();
        if (kwargs.some((k) => k.name === t.text)) this.fail(`keyword argument "${t.text}" given twice`, t);
        const value = this.parseExpr();
        kwargs.push({ name: t.text, value, span: this.join(t.span, value.span) });
      } else {
        if (kwargs.length > 0) this.fail('a positional argument cannot follow a keyword argument', t);
        args.push(this.parseExpr());
      }
      if (!this.isOp(')')) this.expectOp(',', 'between arguments');
    }
    const close = this.next();
    return { kind: 'call', callee, args, kwargs, span: this.join(callee.span, close.span) };
  }

  private parseAtom(): Expr {
    const t = this.peek();
    if (t.type === 'int') {
      this.next();
      return { kind: 'int', value: Number(t.text), span: t.span };
    }
    if (t.type === 'name') {
      if (t.text === 'True' || t.text === 'False') {
        this.next();
        return { kind: 'int', value: t.text === 'True' ? 1 : 0, span: t.span };
      }
      if (KEYWORDS.has(t.text)) this.fail(`unexpected keyword "${t.text}" where a value was expected`, t);
      this.next();
      return { kind: 'name', name: t.text, span: t.span };
    }
    if (this.isOp('(')) {
      const open = this.next();
      const inner = this.parseExpr();
      if (this.isOp(',')) this.fail('tuples are not supported', this.peek());
      if (this.peek().type === 'eof') this.fail(`"(" opened at line ${open.span.start.line}, column ${open.span.start.column} is never closed`, open);
      this.expectOp(')', 'to close the parenthesis');
      return inner;
    }
    if (t.type === 'string') this.fail('strings are only allowed in @symbols', t);
    if (t.type === 'op' && t.text === '[') this.fail('lists are not supported: RASP-L values are sequences built from tokens/indices', t);
    this.fail(`expected a value, found ${this.describe(t)}`, t);
  }
}

/** The expression with every span moved `by` columns right (it was parsed from trimmed text). */
function shiftSpans(e: Expr, by: number): Expr {
  const sp = (x: SourceSpan): SourceSpan => ({ start: { line: x.start.line, column: x.start.column + by }, end: { line: x.end.line, column: x.end.column + by } });
  switch (e.kind) {
    case 'int':
    case 'name':
      return { ...e, span: sp(e.span) };
    case 'call':
      return { ...e, callee: shiftSpans(e.callee, by), args: e.args.map((a) => shiftSpans(a, by)), kwargs: e.kwargs.map((k) => ({ ...k, value: shiftSpans(k.value, by), span: sp(k.span) })), span: sp(e.span) };
    case 'lambda':
      return { ...e, body: shiftSpans(e.body, by), span: sp(e.span) };
    case 'binary':
      return { ...e, left: shiftSpans(e.left, by), right: shiftSpans(e.right, by), span: sp(e.span) };
    case 'unary':
      return { ...e, operand: shiftSpans(e.operand, by), span: sp(e.span) };
    case 'cond':
      return { ...e, test: shiftSpans(e.test, by), then: shiftSpans(e.then, by), otherwise: shiftSpans(e.otherwise, by), span: sp(e.span) };
  }
}
