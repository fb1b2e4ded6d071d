// What a RASP-L run records, and a plain-text table of it. One record per phase: `init` (the
// top-level statements and pre:), then one per loop step, then `post`. Each record holds the
// value of every named sequence variable after that phase and every selector used during it
// (one per aggregate/selector_width, i.e. one per attention head of a compiled model).

export type TracePhase = 'init' | 'step' | 'post';

export interface TraceVariable {
  name: string;
  /** 1-based line of the variable's first assignment. */
  line: number;
  values: number[];
}

export interface TraceSelector {
  /** Stable across steps: the same select call site (and call chain) has the same id at every step. */
  id: string;
  /** Readable: `s · shift_right › kqv`. Unique within a record. */
  name: string;
  /** 1-based position, in the user's file, of the statement-level call that made it. */
  line: number;
  column: number;
  /** Functions the selector was made inside, outermost first. */
  stack: string[];
  /** Row-major [query][key], 1 where the query selects the key; key > query is always 0. */
  matrix: Uint8Array;
  /**
   * For a max/min aggregate: the selected keys holding the row's max/min, the ones it reads (same
   * layout). Absent for mean aggregates and selector_width, which read every selected key.
   */
  reads?: Uint8Array;
}

export interface TraceRecord {
  phase: TracePhase;
  /** 0 for init, 1..T for loop steps, T+1 for post. */
  step: number;
  variables: TraceVariable[];
  selectors: TraceSelector[];
  /** The task's read-out after this record (task files only): the output variable, after post. */
  answer?: number[];
}

export interface ProgramTrace {
  file: string;
  input: number[];
  /** Number of positions (the input's length). */
  width: number;
  /** Number of loop steps run. */
  steps: number;
  records: TraceRecord[];
  /** Name of the variable the answer is read from (task files). */
  outputVar?: string;
}

export interface FormatOptions {
  /** Display symbol per token id (e.g. '=' for 2); numbers are shown otherwise. */
  symbols?: readonly string[];
  /** Print every selector row in full instead of a short summary. */
  fullSelectors?: boolean;
  /** Leave selectors out. */
  hideSelectors?: boolean;
  /** First masked position: the answer row shows values from here on. */
  answerStart?: number;
}

/** Selected keys of one query row, as ranges: `0..3,5`. */
function keyRanges(matrix: Uint8Array, n: number, q: number): string {
  const parts: string[] = [];
  let k = 0;
  while (k <= q) {
    if (!matrix[q * n + k]) {
      k++;
      continue;
    }
    let end = k;
    while (end + 1 <= q && matrix[q * n + end + 1]) end++;
    parts.push(end === k ? `${k}` : end === k + 1 ? `${k},${end}` : `${k}..${end}`);
    k = end + 1;
  }
  return parts.join(',');
}

export function describeSelector(sel: TraceSelector, n: number, full = false, maxChars = 110): string {
  const rows: string[] = [];
  for (let q = 0; q < n; q++) {
    const keys = keyRanges(sel.matrix, n, q);
    if (keys !== '') rows.push(`${q}←${keys}`);
  }
  const body = rows.length === 0 ? 'selects nothing (every query gets the default)' : rows.join(' ');
  if (full || body.length <= maxChars) return body;
  return body.slice(0, maxChars).replace(/ [^ ]*$/, '') + ' …';
}

/** The whole trace as readable text: one table per record, positions as columns. */
export function formatTrace(trace: ProgramTrace, options: FormatOptions = {}): string {
  const n = trace.width;
  const sym = (v: number) => options.symbols?.[v] ?? String(v);
  const cell = (values: readonly number[], useSymbols: boolean) => values.map((v) => (useSymbols ? sym(v) : String(v)));
  const allRows: string[][] = [cell(trace.input, true)];
  for (const r of trace.records) for (const v of r.variables) allRows.push(cell(v.values, false));
  const colWidth = Math.max(String(n - 1).length, ...allRows.flat().map((s) => s.length)) + 1;
  const names = ['pos', 'tokens', 'answer', ...trace.records.flatMap((r) => r.variables.map((v) => v.name))];
  const nameWidth = Math.max(...names.map((s) => s.length)) + 2;
  const row = (name: string, cells: string[]) => `  ${name.padEnd(nameWidth)}${cells.map((c) => c.padStart(colWidth)).join('')}`;
  const positions = Array.from({ length: n }, (_, i) => String(i));

  const lines: string[] = [`RASP-L trace of ${trace.file} · ${n} positions · ${trace.steps} loop step${trace.steps === 1 ? '' : 's'}`];
  lines.push(row('pos', positions));
  lines.push(row('tokens', cell(trace.input, true)));
  for (const r of trace.records) {
    const title = r.phase === 'init' ? 'init (top level and pre:)' : r.phase === 'step' ? `step ${r.step} of ${trace.steps}` : 'post';
    lines.push('', `── ${title} ${'─'.repeat(Math.max(0, 40 - title.length))}`);
    for (const v of r.variables) lines.push(row(v.name, cell(v.values, false)));
    if (r.answer !== undefined) {
      const start = options.answerStart ?? 0;
      lines.push(row('answer', r.answer.map((v, i) => (i < start ? '·' : sym(v)))));
    }
    if (!options.hideSelectors) {
      for (const s of r.selectors) lines.push(`    selector ${s.name} (line ${s.line}): ${describeSelector(s, n, options.fullSelectors)}`);
    }
  }
  return lines.join('\n');
}
