// A Node child process that speaks newline-delimited JSON (one message per line on stdin/stdout),
// so long work (training, evaluation) never blocks the extension host. No vscode import: the same
// code runs in unit tests. The child runs on the host's own Node: in VS Code desktop that is
// Electron's binary, which behaves as plain Node with ELECTRON_RUN_AS_NODE=1; in code-server and
// tests it is node itself.
// The child's lines are not trusted to be what its protocol file declares (a stale or broken
// bundle, a library writing to stdout): every JSON line goes through the protocol's `parse`
// (evaluate/evalWorkerMessages.ts, core/train/workerMessages.ts) before any listener sees it.
// A line that fails breaks the protocol: it is logged with the parser's reason (which names the
// message type and the field), kept as `protocolError`, no later line is delivered, and the child
// is stopped (stdin closed, which the workers treat as cancel, then killed if it lingers), so the
// run ends and its host reports the reason as the run's failure instead of waiting or succeeding.
// Lines that are not JSON at all (stray output) are only logged, like stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { readJsonLines, writeJsonLine } from '../../core/util/jsonLines';

export interface ChildWorkerOptions<Out> {
  /** The script to run (e.g. dist/train-worker.js). */
  script: string;
  /** Extra Node flags before the script (tests use ['--import', 'tsx'] to run TypeScript directly). */
  execArgv?: string[];
  cwd?: string;
  /** Receives every stderr line, every stdout line that is not JSON, and the reason a message was refused. */
  onLog?: (line: string) => void;
  /** Checks one decoded stdout line against the protocol; throws an Error saying what is wrong. */
  parse: (value: unknown) => Out;
  /** After a refused message, how long the child may take to stop once its stdin is closed before it is killed (default 60 s: a training run writes its checkpoint first). */
  stopGraceMs?: number;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Log lines a worker keeps for a host to say why its child stopped. */
const RECENT_LINES = 50;

export class ChildWorker<In, Out> {
  private readonly child: ChildProcess;
  private readonly listeners: ((m: Out) => void)[] = [];
  private exitInfo: ChildExit | undefined;
  private refused: string | undefined;
  private killTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly recent: string[] = [];
  /** Resolves when the process has exited and its stdout has been read to the end. */
  readonly exited: Promise<ChildExit>;

  constructor(o: ChildWorkerOptions<Out>) {
    this.child = spawn(process.execPath, [...(o.execArgv ?? []), o.script], {
      cwd: o.cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const log = (line: string) => {
      o.onLog?.(line);
      if (line.trim() === '') return;
      this.recent.push(line.trim());
      if (this.recent.length > RECENT_LINES) this.recent.shift();
    };
    const stdoutDone = new Promise<void>((resolve) => {
      readJsonLines(this.child.stdout!, o.parse, {
        onMessage: (msg) => {
          if (this.refused !== undefined) return; // the stream is no longer trusted
          for (const l of [...this.listeners]) l(msg);
        },
        onBadLine: (err) => {
          if (err.kind === 'not-json') {
            log(err.line);
            return;
          }
          log(err.message);
          if (this.refused === undefined) {
            this.refused = err.message;
            this.stop(o.stopGraceMs ?? 60_000);
          }
        },
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
      clearTimeout(this.killTimer);
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

  /** The child's last non-empty log lines (stderr, stray stdout, refusals), oldest first: what a host says of an exit without a result. */
  get lastLines(): readonly string[] {
    return this.recent;
  }

  /** Why the child's output broke its protocol (the first refused message), or undefined while it has not. */
  get protocolError(): string | undefined {
    return this.refused;
  }

  /** Closes stdin (the workers checkpoint or abort, then exit) and kills the child if it is still running after `graceMs`. */
  private stop(graceMs: number): void {
    this.endInput();
    if (this.killTimer === undefined && !this.hasExited) this.killTimer = setTimeout(() => this.kill('SIGKILL'), graceMs);
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
