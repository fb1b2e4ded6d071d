// Progress for long work. In a terminal: one bar redrawn in place (at most ~10 times a second).
// Elsewhere (CI logs, pipes): a plain line every `intervalMs` and one at the end, so logs stay short.
import type { OutputStream } from './command';

export type ProgressFields = Record<string, string | number>;

export interface ProgressOptions {
  label: string;
  total: number;
  stream: OutputStream;
  /** Unit name for the rate, e.g. 'step' → '12.3 step/s'. */
  unit?: string;
  /** Non-TTY line interval (default 10 s). */
  intervalMs?: number;
  /** Clock (ms), injectable for tests. */
  now?: () => number;
  /** Seconds left, when the caller knows better than a constant rate (e.g. steps that get slower); NaN/undefined falls back to the rate. */
  remainingSeconds?: () => number | undefined;
}

export interface ProgressReporter {
  /** Reports `done` units finished, with extra fields such as { loss: 0.12 }. */
  update(done: number, fields?: ProgressFields): void;
  /** Prints a line without breaking the bar. */
  log(line: string): void;
  /** Final state; always prints one last line. */
  finish(fields?: ProgressFields): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function formatField(v: string | number): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toPrecision(4);
}

export function createProgress(opts: ProgressOptions): ProgressReporter {
  const now = opts.now ?? Date.now;
  const tty = opts.stream.isTTY === true;
  const interval = opts.intervalMs ?? 10_000;
  const unit = opts.unit ?? 'it';
  const total = Math.max(0, opts.total);
  const start = now();
  let done = 0;
  let firstDone: number | undefined; // a resumed job starts part-way: the rate counts only what this run did
  let fields: ProgressFields = {};
  let lastDraw = -Infinity;
  let drawn = false;
  let finished = false;

  const status = (): { pct: number; text: string } => {
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? (done - (firstDone ?? done)) / elapsed : 0;
    const known = opts.remainingSeconds?.();
    const eta = known !== undefined && Number.isFinite(known) ? known : rate > 0 ? (total - done) / rate : Infinity;
    const pct = total > 0 ? Math.min(100, (100 * done) / total) : 100;
    const extra = Object.entries(fields).map(([k, v]) => `${k} ${formatField(v)}`).join('  ');
    const timing = finished ? `${formatDuration(elapsed)} elapsed` : `${formatDuration(elapsed)} elapsed, ETA ${formatDuration(eta)}`;
    return { pct, text: `${done}/${total} ${pct.toFixed(0).padStart(3)}%  ${rate.toFixed(rate < 10 ? 2 : 1)} ${unit}/s  ${timing}${extra ? '  ' + extra : ''}` };
  };

  const drawBar = () => {
    const { pct, text } = status();
    const cols = opts.stream.columns ?? 100;
    const barWidth = Math.max(10, Math.min(30, cols - opts.label.length - text.length - 6));
    const filled = Math.round((barWidth * pct) / 100);
    const out = `${opts.label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${text}`;
    opts.stream.write(`\r\x1b[2K${out.slice(0, Math.max(20, cols - 1))}`);
    drawn = true;
  };

  const printLine = () => opts.stream.write(`${opts.label}: ${status().text}\n`);

  return {
    update(n, f) {
      if (finished) return;
      done = Math.max(0, Math.min(total, n));
      firstDone ??= done;
      if (f) fields = { ...fields, ...f };
      const t = now();
      if (tty) {
        if (t - lastDraw >= 100 || done === total) {
          lastDraw = t;
          drawBar();
        }
      } else if (t - lastDraw >= interval) {
        if (lastDraw === -Infinity) {
          lastDraw = t; // first update starts the clock for periodic lines; no line at 0%
          return;
        }
        lastDraw = t;
        printLine();
      }
    },
    log(text) {
      if (tty && drawn) {
        opts.stream.write(`\r\x1b[2K${text}\n`);
        drawBar();
      } else {
        opts.stream.write(`${text}\n`);
      }
    },
    finish(f) {
      if (finished) return;
      if (f) fields = { ...fields, ...f };
      finished = true;
      if (tty) {
        drawBar();
        opts.stream.write('\n');
      } else {
        printLine();
      }
    },
  };
}
