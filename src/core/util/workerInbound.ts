// What a worker process reads on stdin: one "start" with its options, then maybe a "cancel". The
// options are checked by the worker itself when it starts (each has its own).

export type StartOrCancel<Options> = { type: 'start'; options: Options } | { type: 'cancel' };

/** Checks a decoded inbound line (jsonLines.ts): a cancel, or a start with an options object. */
export function parseStartOrCancel<Options>(value: unknown): StartOrCancel<Options> {
  const m = (value ?? {}) as { type?: unknown; options?: unknown };
  if (m.type === 'cancel') return { type: 'cancel' };
  if (m.type === 'start') {
    if (!m.options || typeof m.options !== 'object') throw new Error('"start" needs an "options" object');
    return { type: 'start', options: m.options as Options };
  }
  throw new Error(`unknown message type ${JSON.stringify(m.type)}; expected "start" or "cancel"`);
}
