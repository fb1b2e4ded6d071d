// Text from other libraries (ONNX Runtime, protobufjs) made fit for a LoopLens message.

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** Without terminal colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
