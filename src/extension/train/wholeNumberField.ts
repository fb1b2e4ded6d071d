// Whole numbers as typed into the Train commands' input boxes and the recipe page's fields: one
// parser, one set of messages. No vscode import (unit-tested).

/** `text` as a whole number in [min, max] ("2_000" and "2,000" read 2000); undefined when empty. Throws an Error naming `what`. */
export function optionalWholeNumber(text: string, what: string, min: number, max: number): number | undefined {
  const t = text.trim().replace(/[_,]/g, '');
  if (t === '') return undefined;
  if (!/^\d+$/.test(t)) throw new Error(`${what} must be a whole number`);
  const v = Number(t);
  if (v < min || v > max) throw new Error(`${what} must be between ${min.toLocaleString('en-US')} and ${max.toLocaleString('en-US')}`);
  return v;
}

/** As optionalWholeNumber, and empty is an error too (naming `example` when given). */
export function wholeNumber(text: string, what: string, min: number, max: number, example?: number): number {
  const v = optionalWholeNumber(text, what, min, max);
  if (v === undefined) throw new Error(`${what} must be a whole number${example === undefined ? '' : `, e.g. ${example}`}`);
  return v;
}
