// Turns RASP-L source into tokens, Python style: NEWLINE ends a logical line, INDENT/DEDENT
// mark blocks, newlines inside brackets are ignored, `#` starts a comment. The lexer never
// throws: bad characters become errors and are skipped, so the editor always gets a result.
import { RaspError, type SourceSpan } from './errors';

export type TokenType = 'name' | 'int' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'eof';

export interface Token {
  type: TokenType;
  /** Text of the token (the decoded value for strings, digits for ints). */
  text: string;
  span: SourceSpan;
}

export const KEYWORDS = new Set(['def', 'return', 'lambda', 'if', 'else', 'and', 'or', 'not', 'True', 'False', 'pass', 'in']);

// Longest first, so `//` wins over `/` and `..` over `.`.
const OPERATORS = ['==', '!=', '<=', '>=', '//', '..', '**', '->', '+=', '-=', '(', ')', '[', ']', ',', ':', '=', '<', '>', '+', '-', '*', '/', '%', '^', '&', '|', '~', '@', '.'];

/** Integer literals above this are rejected: RASP-L values are small integers. */
export const MAX_LITERAL = 1_000_000;

export interface LexResult {
  tokens: Token[];
  errors: RaspError[];
}

/** A line at or left of `indent` that starts like a new statement (assignment, def, block, directive). */
function looksLikeNewStatement(source: string, from: number, indent: number): boolean {
  const end = source.indexOf('\n', from);
  const text = source.slice(from, end < 0 ? undefined : end);
  const lead = /^[ \t]*/.exec(text)![0].length;
  if (lead > indent) return false;
  return /^[ \t]*([A-Za-z_]\w*[ \t]*=[^=]|def[ \t]|@|(pre|step|post)[ \t]*:)/.test(text);
}

export function tokenize(source: string): LexResult {
  const tokens: Token[] = [];
  const errors: RaspError[] = [];
  const indents: number[] = [0];
  let indentChar: ' ' | '\t' | null = null;
  let depth = 0; // bracket nesting: newlines inside brackets are not line ends
  let opened: { line: number; col: number; text: string; indent: number } | null = null; // outermost open bracket
  let lineIndent = 0;
  let i = 0;
  let line = 1;
  let col = 1;
  let atLineStart = true;

  const span = (l: number, c: number, l2 = line, c2 = col): SourceSpan => ({ start: { line: l, column: c }, end: { line: l2, column: c2 } });
  const error = (message: string, l: number, c: number, width = 1) => errors.push(new RaspError('syntax', message, span(l, c, l, c + width)));
  const push = (type: TokenType, text: string, l: number, c: number) => tokens.push({ type, text, span: span(l, c) });
  // A content token ends "start of line" (a bracket may have closed on a continuation line).
  const emit = (type: TokenType, text: string, l: number, c: number) => {
    tokens.push({ type, text, span: span(l, c) });
    atLineStart = false;
  };
  const lineHasContent = () => {
    const last = tokens[tokens.length - 1];
    return last !== undefined && last.type !== 'newline' && last.type !== 'indent' && last.type !== 'dedent';
  };

  while (i < source.length) {
    if (atLineStart && depth === 0) {
      // Measure indentation; blank and comment-only lines do not count.
      let width = 0;
      const startCol = col;
      while (i < source.length && (source[i] === ' ' || source[i] === '\t')) {
        const ch = source[i] as ' ' | '\t';
        if (indentChar === null) indentChar = ch;
        else if (ch !== indentChar) error('inconsistent use of tabs and spaces in indentation', line, col);
        width++;
        i++;
        col++;
      }
      const ch = source[i];
      if (ch === undefined || ch === '\n' || ch === '\r' || ch === '#') {
        // blank line: fall through to the newline/comment handling below
      } else {
        atLineStart = false;
        lineIndent = width;
        const top = indents[indents.length - 1]!;
        if (width > top) {
          indents.push(width);
          push('indent', '', line, startCol);
        } else if (width < top) {
          while (indents.length > 1 && width < indents[indents.length - 1]!) {
            indents.pop();
            push('dedent', '', line, col);
          }
          if (width !== indents[indents.length - 1]) error('unindent does not match any outer indentation level', line, col);
        }
        continue;
      }
    }

    const ch = source[i]!;
    if (ch === '\n' || ch === '\r') {
      const after = i + (ch === '\r' && source[i + 1] === '\n' ? 2 : 1);
      if (depth > 0 && opened !== null && looksLikeNewStatement(source, after, opened.indent)) {
        // An unclosed bracket would swallow the rest of the file: report it and resume here.
        error(`"${opened.text}" opened at line ${opened.line}, column ${opened.col} is never closed`, opened.line, opened.col);
        depth = 0;
        opened = null;
      }
      if (depth === 0 && lineHasContent()) push('newline', '', line, col);
      i = after;
      line++;
      col = 1;
      atLineStart = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      i++;
      col++;
      continue;
    }
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') {
        i++;
        col++;
      }
      continue;
    }
    if (ch === '\\' && (source[i + 1] === '\n' || source[i + 1] === '\r')) {
      // explicit line continuation
      i += source[i + 1] === '\r' && source[i + 2] === '\n' ? 3 : 2;
      line++;
      col = 1;
      continue;
    }
    atLineStart = false;
    const l = line;
    const c = col;
    if (/[0-9]/.test(ch)) {
      let j = i;
      while (j < source.length && /[0-9]/.test(source[j]!)) j++;
      const digits = source.slice(i, j);
      if (j < source.length && /[A-Za-z_]/.test(source[j]!)) {
        let k = j;
        while (k < source.length && /[A-Za-z0-9_]/.test(source[k]!)) k++;
        error(`invalid number "${source.slice(i, k)}": names cannot start with a digit`, l, c, k - i);
        col += k - i;
        i = k;
        continue;
      }
      if (source[j] === '.' && /[0-9]/.test(source[j + 1] ?? '')) {
        let k = j + 1;
        while (k < source.length && /[0-9]/.test(source[k]!)) k++;
        error(`"${source.slice(i, k)}": RASP-L values are integers, there are no fractions`, l, c, k - i);
        col += k - i;
        i = k;
        continue;
      }
      col += j - i;
      i = j;
      if (Number(digits) > MAX_LITERAL) error(`integer ${digits.length > 12 ? digits.slice(0, 12) + '…' : digits} is too large: RASP-L values are small integers (at most ${MAX_LITERAL})`, l, c, digits.length);
      emit('int', digits, l, c);
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i;
      while (j < source.length && /[A-Za-z0-9_]/.test(source[j]!)) j++;
      const word = source.slice(i, j);
      col += j - i;
      i = j;
      emit('name', word, l, c);
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let text = '';
      let closed = false;
      while (j < source.length && source[j] !== '\n' && source[j] !== '\r') {
        if (source[j] === '\\' && j + 1 < source.length && source[j + 1] !== '\n') {
          text += source[j + 1];
          j += 2;
          continue;
        }
        if (source[j] === ch) {
          closed = true;
          j++;
          break;
        }
        text += source[j];
        j++;
      }
      col += j - i;
      i = j;
      if (!closed) error('unterminated string: add the closing quote on the same line', l, c);
      emit('string', text, l, c);
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op !== undefined) {
      if (op === '(' || op === '[') {
        if (depth === 0) opened = { line: l, col: c, text: op, indent: lineIndent };
        depth++;
      }
      if ((op === ')' || op === ']') && depth > 0) depth--;
      i += op.length;
      col += op.length;
      emit('op', op, l, c);
      continue;
    }
    const cp = source.codePointAt(i)!;
    const shown = cp < 32 || cp === 127 ? `\\x${cp.toString(16).padStart(2, '0')}` : String.fromCodePoint(cp);
    error(`unexpected character "${shown}"`, l, c);
    const size = cp > 0xffff ? 2 : 1;
    i += size;
    col += size;
  }
  if (depth === 0 && lineHasContent()) push('newline', '', line, col);
  while (indents.length > 1) {
    indents.pop();
    push('dedent', '', line, col);
  }
  push('eof', '', line, col);
  return { tokens, errors };
}
