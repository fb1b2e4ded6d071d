// Every message a webview sends is checked here before its panel sees it: a plain object whose
// `type` the panel knows, with fields of the right shape, types and ranges (src/core/util/validate).
// A panel declares one entry per message type (panelMessages.ts); the entry's check must produce
// the message's declared fields, so a new message type or a new required field that has no entry
// does not compile. A message that fails is dropped (and reported), never half-handled.
import { isPlainObject, ValidationError, type Check, type MessageChecks } from '../../core/util/validate';

export { noFields } from '../../core/util/validate';

/** One check per message type; each sees the whole message and returns its fields (the workers' parsers use the same table). */
export type MessageSchemas<M extends { type: string }> = MessageChecks<M>;

export type Validated<M> = { ok: true; message: M } | { ok: false; problem: string };

/** Checks `raw` against the table; the message returned holds only checked values. */
export function validateMessage<M extends { type: string }>(schemas: MessageSchemas<M>, raw: unknown): Validated<M> {
  if (!isPlainObject(raw)) return { ok: false, problem: `a message must be an object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}` };
  const type = raw.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(schemas, type)) {
    return { ok: false, problem: `unknown message type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : String(type)}` };
  }
  const check = (schemas as Record<string, Check<unknown>>)[type]!;
  try {
    const fields = check(raw, `message "${type}"`);
    return { ok: true, message: { ...(fields as object), type } as unknown as M };
  } catch (e) {
    if (e instanceof ValidationError) return { ok: false, problem: e.message };
    return { ok: false, problem: `message "${type}": ${(e as Error).message}` };
  }
}

/** A check from a "problem or null" function (e.g. protocol/export.ts's exportRequestProblem). */
export function fromProblem<T>(problem: (v: unknown) => string | null): Check<T> {
  return (v, path) => {
    const p = problem(v);
    if (p !== null) throw new ValidationError(path, p);
    return v as T;
  };
}
