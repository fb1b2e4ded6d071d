// The "Answer positions at every loop step" card's content (pure, unit-tested): for one test length,
// a map of each answer position's accuracy (+0 is the '=' position, then the rest of the answer and
// its trailing pads) at every loop step 1 .. T(n) + extra (EvaluationStepCurve.positions), with T(n)
// and the paper rule's step marked, a read-out per cell, and a line at each marked step saying how far
// the answer is right from +0 and which slot is weakest: where in the answer a model fails, and when
// each slot forms. The lengths a picker offers, and which one stays picked as the state changes.
import type { EvaluationStepCurve, EvaluationViewState } from '../../src/protocol/evaluation';
import { fmt } from '../shared/format';
import { FORMED } from '../shared/accuracy';

/** A marked loop step of the map: T(n), the paper rule's, or both at once. */
export interface PositionMark {
  step: number;
  kind: 'oracle' | 'paper' | 'both';
  label: string;
}

export interface PositionMap {
  modelName: string;
  length: number;
  /** "n = 38" */
  label: string;
  steps: number;
  positions: number;
  /** cells[t - 1][k]: accuracy of position +k at step t. */
  cells: number[][];
  /** "+0", "+1", … */
  columnLabels: string[];
  marks: PositionMark[];
  /** One line per marked step (one when T(n) is the paper rule's step). */
  summaries: string[];
  ariaLabel: string;
}

/** A model's map for the picked length, or why there is none. */
export type PositionMapContent = { map: PositionMap; empty: null } | { map: null; empty: string };

/** The length axis' name: "n", or "n_b" for multiplication ("n_b (n_a = 2)"). */
const lengthName = (s: EvaluationViewState) => s.setup.lengthLabel.split(' ')[0]!;
export const lengthText = (s: EvaluationViewState, length: number) => `${lengthName(s)} = ${length}`;

const withPositions = (curves: EvaluationStepCurve[] | undefined) => (curves ?? []).filter((c) => c.positions && c.positions.length > 0);

/** The lengths either model has positions for, ascending: the picker's buttons. */
export function positionLengths(s: EvaluationViewState): number[] {
  const all = [...withPositions(s.stepCurves), ...withPositions(s.overlay?.stepCurves)].map((c) => c.length);
  return [...new Set(all)].sort((a, b) => a - b);
}

/** The length to show: the one picked before while it is still offered, else the first offered (null: none). */
export function pickLength(offered: number[], picked: number | null): number | null {
  return picked !== null && offered.includes(picked) ? picked : (offered[0] ?? null);
}

/** The hover read-out of a cell: "step 12 · +3: 97.3%". */
export function cellReadout(step: number, position: number, accuracy: number): string {
  return `step ${step} · +${position}: ${fmt.pct(accuracy)}`;
}

/** A cell's tooltip: its read-out, then which marked step its row is. */
export function cellTooltip(map: PositionMap, step: number, position: number): string[] {
  const mark = map.marks.find((m) => m.step === step);
  const what = { oracle: 'T(n)', paper: "the paper rule's step", both: "T(n), the paper rule's step too" } as const;
  return [cellReadout(step, position, map.cells[step - 1]![position]!), ...(mark ? [what[mark.kind]] : [])];
}

/** "+0…+29", "+0" for one position. */
const span = (from: number, to: number) => (from === to ? `+${from}` : `+${from}…+${to}`);

/**
 * What one step's row says: how far the answer is formed from +0 (every position up to there at
 * least 95%), how many positions fall short, and the weakest one, e.g.
 * "+0…+29 ≥ 95%, 8 of 40 below, weakest +36 (65.0%)".
 */
export function rowSummary(row: number[]): string {
  let lead = 0;
  while (lead < row.length && row[lead]! >= FORMED) lead++;
  let weakest = 0;
  row.forEach((a, k) => {
    if (a < row[weakest]!) weakest = k;
  });
  const below = row.filter((a) => a < FORMED).length;
  const threshold = `${Math.round(FORMED * 100)}%`;
  if (row[weakest] === 1) return row.length === 1 ? '+0 at 100%' : `all ${row.length} positions at 100%`;
  const formed = lead === row.length ? (row.length === 1 ? `+0 ≥ ${threshold}` : `all ${row.length} positions ≥ ${threshold}`) : lead === 0 ? `+0 below ${threshold} (${fmt.pct(row[0])})` : `${span(0, lead - 1)} ≥ ${threshold}`;
  const short = below > 0 && lead > 0 ? `, ${below} of ${row.length} below` : '';
  // +0 below and the weakest itself: named once
  return row.length === 1 || (lead === 0 && weakest === 0) ? formed : `${formed}${short}, weakest +${weakest} (${fmt.pct(row[weakest])})`;
}

function marksOf(c: EvaluationStepCurve): PositionMark[] {
  if (c.oracleStep === c.paperStep) return [{ step: c.oracleStep, kind: 'both', label: `T(n) = ${c.oracleStep} = paper rule` }];
  return [
    { step: c.oracleStep, kind: 'oracle', label: `T(n) = ${c.oracleStep}` },
    { step: c.paperStep, kind: 'paper', label: `paper rule: ${c.paperStep}` },
  ];
}

function summariesOf(c: EvaluationStepCurve, cells: number[][]): string[] {
  const at = (t: number) => rowSummary(cells[t - 1]!);
  if (c.oracleStep === c.paperStep) return [`at T(n) = ${c.oracleStep}, the paper rule's step too: ${at(c.oracleStep)}`];
  return [`at T(n) = ${c.oracleStep}: ${at(c.oracleStep)}`, `at the paper rule's step ${c.paperStep}: ${at(c.paperStep)}`];
}

function mapOf(s: EvaluationViewState, modelName: string, c: EvaluationStepCurve): PositionMap {
  const cells = c.positions!;
  const positions = cells[0]!.length;
  const label = lengthText(s, c.length);
  return {
    modelName,
    length: c.length,
    label,
    steps: cells.length,
    positions,
    cells,
    columnLabels: Array.from({ length: positions }, (_, k) => `+${k}`),
    marks: marksOf(c),
    summaries: summariesOf(c, cells),
    ariaLabel: `Accuracy of each of ${positions} answer positions of ${modelName} at ${label}, at each of ${cells.length} loop steps; T(n) = ${c.oracleStep}, the paper rule's step ${c.paperStep}`,
  };
}

/**
 * A model's map at `length`: the first model's always (with a reason when it has none), an
 * overlay's when it has curves (null otherwise: no card), as stepCurves.ts decides for its chart.
 */
export function positionMapContent(s: EvaluationViewState, model: 'first' | 'overlay', length: number | null): PositionMapContent | null {
  const o = s.overlay;
  if (model === 'overlay' && !o?.stepCurves) return null;
  const who = model === 'first' ? { modelName: s.setup.modelName, curves: s.stepCurves, status: s.status } : { modelName: o!.modelName, curves: o!.stepCurves, status: o!.status };
  const curve = withPositions(who.curves).find((c) => c.length === length);
  if (curve) return { map: mapOf(s, who.modelName, curve), empty: null };
  // a curve without positions: kept by a LoopLens older than them
  const older = who.curves === undefined || who.curves.some((c) => length === null || c.length === length);
  if (older) return { map: null, empty: 'This evaluation was saved by an older LoopLens, which did not keep the accuracy of each answer position: Evaluate Again to draw it.' };
  if (who.status === 'running') return { map: null, empty: length === null ? 'Evaluating the first length…' : `Evaluating: ${lengthText(s, length)} is not done yet…` };
  return { map: null, empty: length === null ? 'No lengths were evaluated.' : `${who.modelName} was not evaluated at ${lengthText(s, length)}.` };
}
