// An options object without its unset fields, so spreading it over defaults keeps those defaults.

/** The fields of `o` that are not undefined. */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
