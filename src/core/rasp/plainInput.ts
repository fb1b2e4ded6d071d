// Typed input for a program without a task header: it has no @symbols to read, so only token ids.
import { RaspError, type SourceSpan } from './errors';

/** Typed input for a plain program: integer token ids separated by spaces or commas. */
export function parsePlainInput(text: string): number[] {
  const items = text.trim().split(/[\s,]+/).filter((s) => s !== '');
  if (items.length === 0) throw new RaspError('task', 'the input is empty: give token ids separated by spaces, e.g. 0 1 1 2', fileStart());
  return items.map((s) => {
    if (!/^-?\d+$/.test(s)) throw new RaspError('task', `"${s}" is not a token id (this program has no @symbols; use integers like 0 1 2)`, fileStart());
    return Number(s);
  });
}

/** Typed input has no place in the file: errors point at its start. */
function fileStart(): SourceSpan {
  return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}
