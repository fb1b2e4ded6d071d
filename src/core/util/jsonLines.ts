// JSON lines: one JSON message per line, the framing every LoopLens worker process speaks over its
// stdin/stdout. Generic over the message type; each worker's protocol file declares its union and
// the `parse` that checks a decoded value against it.
import * as readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** A line that is not JSON, or not a message of the protocol. */
export class JsonLineError extends Error {
  constructor(
    message: string,
    readonly line: string,
    /** 'not-json': the line is not JSON at all (e.g. stray output); 'refused': JSON that `parse` refused. */
    readonly kind: 'not-json' | 'refused' = 'refused',
  ) {
    super(message);
    this.name = 'JsonLineError';
  }
}

export interface JsonLinesHandlers<T> {
  onMessage: (message: T) => void;
  /** A line that is not JSON, or that `parse` refused; the error says why. */
  onBadLine: (error: JsonLineError) => void;
  /** The stream ended (after every line was delivered). */
  onEnd?: () => void;
}

/** One line as a message: JSON.parse, then `parse` (which throws on anything not in the protocol). */
export function parseJsonLine<T>(line: string, parse: (value: unknown) => T): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new JsonLineError(`not a JSON line: ${line.slice(0, 80)}`, line, 'not-json');
  }
  try {
    return parse(value);
  } catch (err) {
    throw new JsonLineError(err instanceof Error ? err.message : String(err), line);
  }
}

/** Reads `input` as JSON lines (blank lines skipped). Returns a function that stops reading. */
export function readJsonLines<T>(input: Readable, parse: (value: unknown) => T, handlers: JsonLinesHandlers<T>): () => void {
  const rl = readline.createInterface({ input });
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    let message: T;
    try {
      message = parseJsonLine(line, parse);
    } catch (err) {
      handlers.onBadLine(err as JsonLineError);
      return;
    }
    handlers.onMessage(message);
  });
  if (handlers.onEnd) rl.on('close', handlers.onEnd);
  return () => rl.close();
}

/** One message as a line (JSON has no NaN or Infinity: they become null). */
export function encodeJsonLine(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}

/** Writes one message as a line; `done` runs once it has been handed to the OS. */
export function writeJsonLine<T>(output: Writable, message: T, done?: () => void): void {
  output.write(encodeJsonLine(message), done);
}
