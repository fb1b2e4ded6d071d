// The debugger's Variables at one loop iteration, as a plain tree (the adapter turns it into DAP
// variables). Every number comes from the stepper's content for the same input (core/view: the
// view model the panel shows, its traced input and program trace) or from the comparison
// functions the panel's numbers come from (core/programs/compare), so the two cannot disagree.
import { headAttention } from '../infer/modelTrace';
import { selectorSimilarity, uniformCausalAttention } from '../programs/compare/selectorSimilarity';
import type { StepperContent } from '../view/stepperViewModel';
import type { ProbeView } from '../view/stepperView';
import type { WatchValue } from '../rasp/watch';

export interface DebugVariable {
  name: string;
  value: string;
  type?: string;
  /** Children, built when the variable is expanded. */
  children?: () => DebugVariable[];
  /** An expression the Debug Console can evaluate to get this value. */
  evaluateName?: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '–' : Number(x.toPrecision(digits)).toString());

/** `[0 1 1 0 … (42)]`: the first `max` values of a row. */
export function rowText(values: readonly (number | string | null)[], max = 24): string {
  const shown = values.slice(0, max).map((v) => (v === null ? '·' : String(v)));
  return `[${shown.join(' ')}${values.length > max ? ` … (${values.length})` : ''}]`;
}

/** Selected keys of one query row as ranges: `0..3,5`; `–` when none. */
export function keyRanges(matrix: ArrayLike<number>, width: number, q: number): string {
  const parts: string[] = [];
  let k = 0;
  while (k < width) {
    if (!matrix[q * width + k]) {
      k++;
      continue;
    }
    let end = k;
    while (end + 1 < width && matrix[q * width + end + 1]) end++;
    parts.push(end === k ? `${k}` : end === k + 1 ? `${k},${end}` : `${k}..${end}`);
    k = end + 1;
  }
  return parts.length ? parts.join(',') : '–';
}

/** `[4] =`: a position with its input token. */
function positionName(content: StepperContent, p: number): string {
  return `[${p}] ${content.viewModel.tokens[p]?.label ?? ''}`.trimEnd();
}

function perPosition(content: StepperContent, value: (p: number) => string): () => DebugVariable[] {
  return () => content.viewModel.tokens.map((_, p) => ({ name: positionName(content, p), value: value(p) }));
}

function selectorMatrix(content: StepperContent, matrix: ArrayLike<number>, width: number): DebugVariable[] {
  return [
    ...Array.from({ length: width }, (_, q) => ({ name: positionName(content, q), value: `← ${keyRanges(matrix, width, q)}` })),
    {
      name: 'matrix',
      value: `${width}×${width}, rows = queries, columns = keys`,
      children: () => Array.from({ length: width }, (_, q) => ({ name: `[${q}]`, value: Array.from({ length: width }, (_, k) => (matrix[q * width + k] ? '1' : '·')).join('') })),
    },
  ];
}

function selectedCount(m: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < m.length; i++) n += m[i] ? 1 : 0;
  return n;
}

/** The Program scope: each variable's values after `step` loop steps, and the selectors the step used. */
export function programScope(content: StepperContent, step: number): DebugVariable[] {
  const prog = content.viewModel.program;
  if (!prog) return [{ name: 'program', value: 'no RASP-L program for this session' }];
  const out: DebugVariable[] = prog.variables.map((v) => {
    const row = v.values[step] ?? null;
    if (!row || row.every((x) => x === null)) return { name: v.name, value: 'not assigned yet', evaluateName: v.name };
    return { name: v.name, value: rowText(row), type: 'sequence', evaluateName: v.name, children: perPosition(content, (p) => String(row[p] ?? '·')) };
  });
  const trace = content.program;
  const used = trace?.selectors.filter((s) => s.matrices[step - 1]) ?? [];
  if (trace && used.length > 0) {
    out.push({
      name: 'selectors',
      value: `${used.length} used in this iteration`,
      children: () =>
        used.map((s) => {
          const m = s.matrices[step - 1]!;
          return { name: s.name, value: `selector ${trace.width}×${trace.width}, ${selectedCount(m)} selected (line ${s.line ?? '?'})`, type: 'selector', children: () => selectorMatrix(content, m, trace.width) };
        }),
    });
  }
  return out;
}

/** Per head of every layer: for each query, the key it attends to most (with its weight). */
function headsVariable(content: StepperContent, step: number): DebugVariable {
  const { layers, heads, width: W } = content.viewModel.attention;
  const trace = content.traced.trace;
  return {
    name: 'heads',
    value: `${layers} layer${layers === 1 ? '' : 's'} × ${heads} heads: the key each query attends to most`,
    children: () => {
      const out: DebugVariable[] = [];
      for (let l = 0; l < layers; l++) {
        for (let h = 0; h < heads; h++) {
          const a = headAttention(trace, step, l, h);
          const best = Array.from({ length: W }, (_, q) => {
            let k = 0;
            for (let j = 1; j < W; j++) if (a[q * W + j]! > a[q * W + k]!) k = j;
            return { k, w: a[q * W + k]! };
          });
          out.push({
            name: `L${l} H${h}`,
            value: rowText(best.map((b) => b.k)),
            children: () => best.map((b, q) => ({ name: positionName(content, q), value: `→ key ${b.k} (${content.viewModel.tokens[b.k]?.label ?? '?'}) ${pct(b.w)}` })),
          });
        }
      }
      return out;
    },
  };
}

/** The Model scope: read-out, confidence, top-k, state norm and change, and where each head looks. */
export function modelScope(content: StepperContent, step: number): DebugVariable[] {
  const vm = content.viewModel;
  const s = vm.steps[step - 1]!;
  const sym = (id: number) => vm.model.symbols[id] ?? `<${id}>`;
  const lens = vm.lens;
  const hidden = vm.hidden;
  const out: DebugVariable[] = [
    { name: 'answer', value: `${s.answerText || '(empty)'}${s.correct === null ? '' : s.correct ? ' (correct)' : ` (wrong: the answer is ${vm.task.targetText ?? '?'})`}` },
    { name: 'decoded', value: rowText(s.decoded.map(sym)), type: 'sequence', evaluateName: 'decoded', children: perPosition(content, (p) => `${sym(s.decoded[p]!)} (${pct(s.confidence[p]!)})`) },
    { name: 'confidence', value: `mean over scored positions ${pct(s.meanConfidence)}`, evaluateName: 'confidence', children: perPosition(content, (p) => pct(s.confidence[p]!)) },
    { name: 'halting score', value: `${num(s.score)} (the paper's score: mean −log max probability over scored positions; lower = more confident)` },
  ];
  if (lens) {
    out.push({
      name: `top ${lens.k}`,
      value: 'the most probable tokens per position',
      children: perPosition(content, (p) => lens.topIds[step - 1]![p]!.map((id, i) => `${sym(id)} ${pct(lens.topProbs[step - 1]![p]![i]!)}`).join(', ')),
    });
  }
  if (hidden) {
    const norms = hidden.norm[step - 1]!;
    const rel = hidden.relativeChange[step - 1]!;
    const cos = hidden.cosineChange[step - 1]!;
    const meanNorm = norms.reduce((a, b) => a + b, 0) / norms.length;
    const meanCos = hidden.meanCosineChange[step - 1];
    out.push({
      name: 'state',
      value: `mean ‖h‖ ${num(meanNorm)}; change since the last iteration: mean 1 − cos ${meanCos === null || meanCos === undefined ? '– (first iteration)' : num(meanCos, 3)}`,
      children: perPosition(content, (p) => `‖h‖ ${num(norms[p])}, ‖Δh‖/‖h_prev‖ ${num(rel[p], 3)}, 1 − cos ${num(cos[p], 3)}`),
    });
  }
  out.push(headsVariable(content, step));
  out.push({ name: 'halting', value: `T(n) = ${vm.halting.oracleStep ?? '?'}, adaptive stop = ${vm.halting.adaptiveStep ?? '?'} (${vm.halting.rule})` });
  return out;
}

/** For each selector used at `step`: every head's similarity, the closest head, and uniform causal attention's similarity (the baseline). */
export function selectorMatches(content: StepperContent, step: number): { selector: string; line: number | null; best: { layer: number; head: number; similarity: number } | null; baseline: number | null; heads: { layer: number; head: number; similarity: number | null }[] }[] {
  const trace = content.traced.trace;
  const prog = content.program;
  if (!prog || prog.width !== trace.width || step > prog.steps) return [];
  const W = trace.width;
  const uniform = uniformCausalAttention(W);
  return prog.selectors.flatMap((s) => {
    const m = s.matrices[step - 1];
    if (!m) return [];
    const heads: { layer: number; head: number; similarity: number | null }[] = [];
    for (let l = 0; l < trace.layers; l++) for (let h = 0; h < trace.heads; h++) heads.push({ layer: l, head: h, similarity: selectorSimilarity(headAttention(trace, step, l, h), m, W).similarity });
    let best: { layer: number; head: number; similarity: number } | null = null;
    for (const x of heads) if (x.similarity !== null && (!best || x.similarity > best.similarity)) best = { layer: x.layer, head: x.head, similarity: x.similarity };
    return [{ selector: s.name, line: s.line, best, baseline: selectorSimilarity(uniform, m, W).similarity, heads }];
  });
}

export function probeText(p: Pick<ProbeView, 'heldOutAccuracy' | 'baselineAccuracy' | 'beatsBaseline'>): string {
  return `held-out ${pct(p.heldOutAccuracy)} vs baseline ${pct(p.baselineAccuracy)}: ${p.beatsBaseline ? 'beats the baseline' : 'not above the baseline'}`;
}

/** The Comparison scope: agreement of the model with the program so far, heads vs selectors, probes. */
export function comparisonScope(content: StepperContent, step: number): DebugVariable[] {
  const vm = content.viewModel;
  const c = vm.compare;
  if (!c) return [{ name: 'comparison', value: 'needs the task’s RASP-L program' }];
  const sofar = c.agreement.filter((a) => a.step <= step);
  const now = sofar.find((a) => a.step === step);
  const matched = sofar.reduce((s, a) => s + a.matched, 0);
  const total = sofar.reduce((s, a) => s + a.total, 0);
  const out: DebugVariable[] = [
    {
      name: 'agreement',
      value: now ? `${now.matched}/${now.total} scored positions (${pct(now.fraction)}) equal the program’s read-out at this iteration` : 'no program read-out at this iteration',
    },
    {
      name: 'agreement so far',
      value: total ? `${matched}/${total} (${pct(matched / total)}) over iterations 1..${step}` : '–',
      children: () => sofar.map((a) => ({ name: `iteration ${a.step}`, value: `${a.matched}/${a.total} (${pct(a.fraction)})` })),
    },
  ];
  const matches = selectorMatches(content, step);
  out.push({
    name: 'heads ↔ selectors',
    value: matches.length ? `${matches.length} selector${matches.length === 1 ? '' : 's'} at this iteration; similarity = 1 − mean total-variation distance` : 'no selector at this iteration',
    children: () =>
      matches.map((m) => ({
        name: m.selector,
        value: m.best ? `closest L${m.best.layer} H${m.best.head}: ${num(m.best.similarity, 3)} vs uniform attention ${num(m.baseline, 3)}${m.baseline !== null && m.best.similarity > m.baseline ? '' : ' (no better than uniform)'}` : 'not comparable',
        children: () => m.heads.map((h) => ({ name: `L${h.layer} H${h.head}`, value: num(h.similarity, 3) })),
      })),
  });
  const probes = c.probes.filter((p) => p.step === step);
  out.push({
    name: 'probes',
    value:
      c.probeExamples === 0
        ? `${c.probeNote ?? 'no probes'} (the Debug Console probes any expression: probe <expr>)`
        : probes.length === 0
          ? (c.probeNote ?? 'no variable varies at this iteration')
          : probes.some((p) => p.beatsBaseline)
            ? `${probes.filter((p) => p.beatsBaseline).length} of ${probes.length} beat their baseline (${c.probeExamples} random inputs)`
            : `none beats its baseline at this iteration (${c.probeExamples} random inputs)`,
    children: probes.length ? () => probes.map((p) => ({ name: p.variable, value: probeText(p) })) : undefined,
  });
  return out;
}

/** A watch or Debug Console result as a variable (sequences and selectors expand per position). */
export function watchVariable(content: StepperContent, name: string, v: WatchValue): DebugVariable {
  switch (v.kind) {
    case 'int':
      return { name, value: String(v.value), type: 'integer' };
    case 'seq':
      return { name, value: rowText(v.values), type: v.index ? 'sequence (index)' : 'sequence', children: perPosition(content, (p) => String(v.values[p] ?? '·')) };
    case 'selector':
      return { name, value: `selector ${v.width}×${v.width}, ${selectedCount(v.matrix)} selected`, type: 'selector', children: () => selectorMatrix(content, v.matrix, v.width) };
    case 'function':
      return { name, value: `function ${v.name}`, type: 'function' };
    case 'reduction':
      return { name, value: `reduction ${v.name}`, type: 'reduction' };
  }
}
