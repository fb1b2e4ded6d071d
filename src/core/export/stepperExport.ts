// The stepper's tables as DataTables, from its view model (and, for attention, one slice): what
// the panel's CSV/JSON exports write. Column names are snake_case and stable; steps are 1-based
// loop iterations, positions 0-based. Pure: no vscode, no I/O.
import type { StepperViewModel } from '../view/stepperView';
import { roundTo, type Cell, type DataTable } from './table';

/** What the stepper can export as a table. */
export const STEPPER_TABLES = ['steps', 'state', 'lens', 'hidden', 'attention', 'heads', 'probes'] as const;
export type StepperTableName = (typeof STEPPER_TABLES)[number];

const sym = (vm: StepperViewModel, id: number | null | undefined): string | null => (id === null || id === undefined ? null : (vm.model.symbols[id] ?? `<${id}>`));

/** One row per loop step: the decoded answer, exact match, the halting score and confidences, agreement with the program, and the marks. */
export function stepsTable(vm: StepperViewModel): DataTable {
  return {
    columns: ['step', 'answer', 'correct', 'score', 'confidence', 'mean_confidence', 'program_agreement', 'is_oracle_step', 'is_stop'],
    rows: vm.steps.map((s) => [s.step, s.answerText, s.correct, s.score, Math.exp(-s.score), s.meanConfidence, s.programAgreement, s.step === vm.halting.oracleStep, s.step === vm.halting.adaptiveStep]),
  };
}

/** One row per position at one step: input, target, what the model decodes and how sure it is, then every program variable and the program's answer after the same number of program steps. */
export function stateTable(vm: StepperViewModel, step: number): DataTable {
  const s = vm.steps[step - 1];
  if (!s) throw new Error(`step ${step} is outside 1..${vm.steps.length}`);
  const prog = vm.program;
  const ps = prog ? Math.min(step, prog.steps) : 0;
  const vars = prog?.variables ?? [];
  return {
    columns: ['step', 'position', 'input', 'scored', 'target', 'decoded', 'confidence', ...vars.map((v) => `program_${v.name}`), ...(prog ? ['program_answer', 'program_step'] : [])],
    rows: vm.tokens.map((t, p) => [
      step, p, t.label, t.scored, t.target, sym(vm, s.decoded[p]), s.confidence[p],
      ...vars.map((v) => v.values[ps]?.[p] ?? null),
      ...(prog ? [sym(vm, prog.answers[ps]?.[p]), ps] : []),
    ] as Cell[]),
  };
}

/** The logit lens: one row per (step, scored position) with the target's probability and the top tokens. */
export function lensTable(vm: StepperViewModel): DataTable {
  const k = vm.lens.k;
  const top = Array.from({ length: k }, (_, i) => [`top${i + 1}`, `top${i + 1}_p`]).flat();
  const rows: Cell[][] = [];
  vm.lens.targetProb.forEach((row, t) => {
    vm.tokens.forEach((tok, p) => {
      if (!tok.scored) return;
      const ids = vm.lens.topIds[t]![p]!;
      const ps = vm.lens.topProbs[t]![p]!;
      rows.push([t + 1, p, tok.label, tok.target, row[p], vm.lens.settleStep[p], ...ids.flatMap((id, i) => [sym(vm, id), ps[i]!])]);
    });
  });
  return { columns: ['step', 'position', 'input', 'target', 'p_target', 'settle_step', ...top], rows };
}

/** The hidden state: one row per (step, position): norm, change since the previous step, PCA coordinates. */
export function hiddenTable(vm: StepperViewModel): DataTable {
  const h = vm.hidden;
  const rows: Cell[][] = [];
  h.norm.forEach((row, t) => {
    vm.tokens.forEach((tok, p) => {
      const [pc1, pc2] = h.pca.points[t]![p]!;
      rows.push([t + 1, p, tok.label, tok.scored, row[p], h.cosineChange[t]![p], h.relativeChange[t]![p], pc1, pc2]);
    });
  });
  return { columns: ['step', 'position', 'input', 'scored', 'norm', 'cosine_change', 'relative_change', 'pc1', 'pc2'], rows };
}

/** Attention of every head of one layer at one step: one row per (head, query, key <= query). `slice` is [heads, width, width]. */
export function attentionTable(vm: StepperViewModel, slice: ArrayLike<number>, step: number, layer: number): DataTable {
  const { heads: H, width: W } = vm.attention;
  if (slice.length !== H * W * W) throw new Error(`attention slice has ${slice.length} values, expected ${H * W * W}`);
  const rows: Cell[][] = [];
  for (let h = 0; h < H; h++) {
    for (let q = 0; q < W; q++) {
      for (let k = 0; k <= q; k++) rows.push([step, layer + 1, h + 1, q, vm.tokens[q]!.label, k, vm.tokens[k]!.label, roundTo(slice[(h * W + q) * W + k]!, 6)]);
    }
  }
  return { columns: ['step', 'layer', 'head', 'query', 'query_token', 'key', 'key_token', 'weight'], rows };
}

/** Head ↔ selector matching: one row per (head, selector) with the mean similarity, the baseline and the head's score. */
export function headsTable(vm: StepperViewModel): DataTable {
  const c = vm.compare;
  const sels = vm.program?.selectors ?? [];
  const rows: Cell[][] = [];
  for (const m of c?.headMatches ?? []) {
    const label = c!.headLabels.find((l) => l.layer === m.layer && l.head === m.head);
    sels.forEach((s, k) => rows.push([m.layer + 1, m.head + 1, s.name, m.meanBySelector[k] ?? null, c!.uniformBaseline[k] ?? null, k === m.best.selector, label?.selector === k ? label.score : null]));
  }
  return { columns: ['layer', 'head', 'selector', 'mean_similarity', 'uniform_baseline', 'best', 'score_over_baseline'], rows };
}

export function probesTable(vm: StepperViewModel): DataTable {
  return {
    columns: ['variable', 'held_out_accuracy', 'baseline_accuracy', 'train_samples', 'test_samples'],
    rows: (vm.compare?.probes ?? []).map((p) => [p.variable, p.heldOutAccuracy, p.baselineAccuracy, p.trainSamples, p.testSamples]),
  };
}

/** A stepper table by name; `attention` needs the slice of (step, layer). */
export function stepperTable(vm: StepperViewModel, name: StepperTableName, at: { step: number; layer: number; attention?: ArrayLike<number> }): DataTable {
  switch (name) {
    case 'steps':
      return stepsTable(vm);
    case 'state':
      return stateTable(vm, at.step);
    case 'lens':
      return lensTable(vm);
    case 'hidden':
      return hiddenTable(vm);
    case 'attention':
      if (!at.attention) throw new Error('the attention table needs the slice of its step and layer');
      return attentionTable(vm, at.attention, at.step, at.layer);
    case 'heads':
      return headsTable(vm);
    case 'probes':
      return probesTable(vm);
  }
}
