// Every message a webview sends is checked here before its panel sees it: a plain object whose
// `type` the panel knows, with fields of the right shape, types and ranges (src/core/util/validate).
// A panel declares one entry per message type (panelMessages.ts); the entry's check must produce
// the message's declared fields, so a new message type or a new required field that has no entry
// does not compile. A message that fails is dropped (and reported), never half-handled. The
// dispatch on `type` is core's messageParser, the one the worker processes' lines go through.
import { messageParser, ValidationError, type Check, type MessageChecks } from '../../core/util/validate';

export { noFields } from '../../core/util/validate';

/** One check per message type; each sees the whole message and returns its fields (the workers' parsers use the same table). */
export type MessageSchemas<M extends { type: string }> = MessageChecks<M>;

export type Validated<M> = { ok: true; message: M } | { ok: false; problem: string };

/** Checks `raw` against the table (core's messageParser, as for the workers' lines); the message returned holds only checked values. */
export function validateMessage<M extends { type: string }>(schemas: MessageSchemas<M>, raw: unknown): Validated<M> {
  try {
    return { ok: true, message: messageParser('the page', schemas)(raw) };
  } catch (e) {
    return { ok: false, problem: (e as Error).message };
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
