// Text from other libraries (ONNX Runtime, protobufjs) made fit for a LoopLens message.

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** Without terminal colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

// C0 and C1 control characters, escape included (built from codes: a literal range trips no-control-regex).
const CONTROL = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(31)}${String.fromCharCode(127)}-${String.fromCharCode(159)}]`, 'g');

/** Text from someone else's file, fit to print: control characters shown as '?', at most `max` characters. */
export function printableText(text: string, max = 200): string {
  return text.replace(CONTROL, '?').slice(0, max);
}
