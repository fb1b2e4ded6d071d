// A plain data table (named columns, rows of scalars) and its two text forms: CSV (RFC 4180
// quoting, one header row) and JSON records (one object per row). Every export of a panel's table
// or chart data is built as a DataTable by core, then written by the host. Pure: no vscode, no I/O.

export type Cell = string | number | boolean | null | undefined;

export interface DataTable {
  columns: string[];
  rows: Cell[][];
}

function csvCell(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return Number.isFinite(c) ? String(c) : '';
  if (typeof c === 'boolean') return c ? 'true' : 'false';
  return /[",\r\n]|^\s|\s$/.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
}

/** CSV text: the header row, then one line per row, lines ended by \n; empty cells for null, undefined and non-finite numbers. */
export function toCsv(t: DataTable): string {
  for (const r of t.rows) if (r.length !== t.columns.length) throw new Error(`toCsv: a row has ${r.length} cells, the table ${t.columns.length} columns`);
  return [t.columns, ...t.rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** One object per row, keyed by column (non-finite numbers become null, as JSON has no NaN). */
export function toRecords(t: DataTable): Record<string, string | number | boolean | null>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => {
    const v = r[i];
    return [c, v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : v];
  })));
}

/** Rounds to `digits` decimals (for exports of float data); non-finite values pass through. */
export function roundTo(x: number, digits = 6): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** JSON text of the records, one row per line. */
export function toJsonText(t: DataTable): string {
  const recs = toRecords(t);
  return recs.length === 0 ? '[]\n' : `[\n${recs.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

/** The text of a table in one of the data formats. */
export function tableText(t: DataTable, format: 'csv' | 'json'): string {
  return format === 'csv' ? toCsv(t) : toJsonText(t);
}
