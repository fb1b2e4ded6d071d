// Number formats shared by the panels and the model page.
export const fmt = {
  /** 0.987 → "98.7%", 1 → "100%". */
  pct: (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(100 * x).toFixed(x === 1 || x === 0 ? 0 : 1)}%`),
  /** 1234 → "1,234". */
  int: (x: number) => Math.round(x).toLocaleString('en-US'),
  /** 0.0012345 → "0.00123". */
  loss: (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : String(Number(x.toPrecision(3)))),
  /** 0.001 → "1.0e-3". */
  lr: (x: number) => (x === 0 ? '0' : x.toExponential(1)),
  /** 75 → "1m 15s". */
  duration(seconds: number | null | undefined): string {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
    const h = Math.floor(s / 3600);
    if (h < 48) return `${h}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
    return `${Math.round(h / 24)} days`;
  },
  bytes: (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / (1024 * 1024)).toFixed(1)} MB`),
};
