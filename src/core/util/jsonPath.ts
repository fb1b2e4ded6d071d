// Defensive reads of plain JSON whose shape is not guaranteed: a model file's stored recipe, which
// older or foreign writers may lack fields of, or hold the wrong kind of value in. A read never
// throws: whatever is not there, or not what was asked for, reads as undefined.
import { isPlainObject } from './validate';

/**
 * The value at `keys` inside `o` (`valueAt(recipe, 'curriculum', 'end')`), or undefined when a
 * step is missing or is not a plain object. Arrays, null and primitives are never stepped into, and
 * only own keys are read (`'constructor'` or `'__proto__'` reads undefined, not the prototype's).
 */
export function valueAt(o: unknown, ...keys: string[]): unknown {
  let v = o;
  for (const k of keys) {
    if (!isPlainObject(v) || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = v[k];
  }
  return v;
}

/** The finite number at `keys` inside `o`; undefined for anything else (NaN, ±Infinity, "12", null, missing). */
export function finiteAt(o: unknown, ...keys: string[]): number | undefined {
  const v = valueAt(o, ...keys);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
