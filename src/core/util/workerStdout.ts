// The stdout of a worker process, kept for its JSON-lines protocol: whatever libraries print with
// console.log/info goes to stderr instead, so it cannot corrupt the message stream.
import { writeJsonLine } from './jsonLines';

export interface WorkerStdout<Out> {
  send(message: Out): void;
  /** Exits once everything sent has been handed to the OS (pipes can be asynchronous). */
  exitAfterFlush(code: number): void;
}

export function workerStdout<Out>(): WorkerStdout<Out> {
  const toStderr = (...a: unknown[]) => process.stderr.write(`${a.map(String).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  return {
    send: (message) => writeJsonLine(process.stdout, message),
    exitAfterFlush: (code) => process.stdout.write('', () => process.exit(code)),
  };
}
