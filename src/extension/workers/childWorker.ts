// A Node child process that speaks newline-delimited JSON (one message per line on stdin/stdout),
// so long work (training, evaluation) never blocks the extension host. No vscode import: the same
// code runs in unit tests. The child runs on the host's own Node: in VS Code desktop that is
// Electron's binary, which behaves as plain Node with ELECTRON_RUN_AS_NODE=1; in code-server and
// tests it is node itself.
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { readJsonLines, writeJsonLine } from '../../core/util/jsonLines';

export interface ChildWorkerOptions {
  /** The script to run (e.g. dist/train-worker.js). */
  script: string;
  /** Extra Node flags before the script (tests use ['--import', 'tsx'] to run TypeScript directly). */
  execArgv?: string[];
  cwd?: string;
  /** Receives every stderr line and every stdout line that is not JSON. */
  onLog?: (line: string) => void;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ChildWorker<In, Out> {
  private readonly child: ChildProcess;
  private readonly listeners: ((m: Out) => void)[] = [];
  private exitInfo: ChildExit | undefined;
  /** Resolves when the process has exited and its stdout has been read to the end. */
  readonly exited: Promise<ChildExit>;

  constructor(o: ChildWorkerOptions) {
    this.child = spawn(process.execPath, [...(o.execArgv ?? []), o.script], {
      cwd: o.cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const log = o.onLog ?? (() => undefined);
    const stdoutDone = new Promise<void>((resolve) => {
      // The child is one of ours: its protocol file types the lines it writes.
      readJsonLines(this.child.stdout!, (value) => value as Out, {
        onMessage: (msg) => {
          for (const l of [...this.listeners]) l(msg);
        },
        onBadLine: (err) => log(err.line),
        onEnd: resolve,
      });
    });
    readline.createInterface({ input: this.child.stderr! }).on('line', (line) => log(line));
    // Writing to a child that already exited raises EPIPE on stdin; the exit handler reports it.
    this.child.stdin!.on('error', () => undefined);
    const exit = new Promise<ChildExit>((resolve) => {
      this.child.on('error', (err) => {
        log(`could not start ${o.script}: ${err.message}`);
        resolve({ code: null, signal: null });
      });
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    this.exited = Promise.all([exit, stdoutDone]).then(([e]) => {
      this.exitInfo = e;
      return e;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  onMessage(listener: (m: Out) => void): void {
    this.listeners.push(listener);
  }

  send(message: In): void {
    if (this.child.stdin?.writable) writeJsonLine(this.child.stdin, message);
  }

  /** Closes stdin: the worker protocols treat that as "the parent went away". */
  endInput(): void {
    this.child.stdin?.end();
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.hasExited) this.child.kill(signal);
  }
}

/** A human description of how a process ended, e.g. "killed by SIGKILL" or "exit code 3". */
export function describeExit(e: ChildExit): string {
  if (e.signal) return `killed by ${e.signal}${e.signal === 'SIGKILL' ? ' (for example by the system running out of memory)' : ''}`;
  if (e.code === null) return 'could not be started';
  return `exit code ${e.code}`;
}
