// The "Accuracy at every loop step" chart's content (pure, unit-tested): one line per test length
// of a model's curves (EvaluationStepCurve) in that length's colour, its T(n) ringed and the paper
// rule's step dotted, each point's confidence score for the hover read-out, and a line per length
// that says where the answer peaks and what T(n), the paper's rule and the last step read: whether
// the answer holds past T(n) or decays (the paper's copy against parity).
import type { EvaluationStepCurve, EvaluationViewState } from '../../src/protocol/evaluation';
import type { ChartMark } from '../charts/lineChart';
import { fmt } from '../shared/format';
import { lengthStyle } from '../charts/palette';

export interface StepPoint {
  step: number;
  accuracy: number;
  /** The hover read-out's addition: the confidence score, and which marked step this is. */
  note: string;
}

export interface StepLine {
  length: number;
  /** "n = 38" */
  label: string;
  color: string;
  dashed: boolean;
  points: StepPoint[];
  /** T(n) (a ring) and the paper rule's step (a dot). */
  marks: ChartMark[];
  summary: string;
}

export interface StepChartContent {
  modelName: string;
  lines: StepLine[];
  /** The x axis' end: the last step of the longest curve of either model, so both charts compare. */
  lastStep: number;
  /** Shown instead of the lines when there are none. */
  empty: string;
}

const score = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));

function stepNote(c: EvaluationStepCurve, t: number): string {
  const marked = [t === c.oracleStep ? 'T(n)' : '', t === c.paperStep ? "the paper rule's step" : ''].filter(Boolean);
  return [`confidence score ${score(c.score[t - 1])}`, ...marked].join(' · ');
}

/** Where the curve peaks (its first step at the best accuracy), and what T(n), the paper's rule and the last step read. */
export function stepSummary(label: string, c: EvaluationStepCurve): string {
  const at = (t: number) => fmt.pct(c.accuracy[t - 1]);
  let best = 1;
  c.accuracy.forEach((a, i) => {
    if (a > c.accuracy[best - 1]!) best = i + 1;
  });
  const last = c.accuracy.length;
  return `${label}: best ${at(best)} at step ${best} · T(n) = ${c.oracleStep}: ${at(c.oracleStep)} · paper rule's step ${c.paperStep}: ${at(c.paperStep)} · last step ${last}: ${at(last)}`;
}

function stepLine(s: EvaluationViewState, c: EvaluationStepCurve, index: number): StepLine {
  const label = `${s.setup.lengthLabel.split(' ')[0]} = ${c.length}`;
  return {
    length: c.length,
    label,
    ...lengthStyle(index),
    points: c.accuracy.map((accuracy, i) => ({ step: i + 1, accuracy, note: stepNote(c, i + 1) })),
    marks: [
      { x: c.oracleStep, shape: 'ring', title: `${label}: T(n) = ${c.oracleStep}, ${fmt.pct(c.accuracy[c.oracleStep - 1])}` },
      { x: c.paperStep, shape: 'dot', title: `${label}: the paper rule's step ${c.paperStep}, ${fmt.pct(c.accuracy[c.paperStep - 1])}` },
    ],
    summary: stepSummary(label, c),
  };
}

/**
 * A model's chart: the first model's always (with a reason when it has no curves), an overlay's
 * when there is one whose state keeps curves (null otherwise: no chart). A length's colour is its
 * place among the test lengths, so it is the same in both charts and as lengths finish.
 */
export function stepChartContent(s: EvaluationViewState, model: 'first' | 'overlay'): StepChartContent | null {
  const o = s.overlay;
  if (model === 'overlay' && !o?.stepCurves) return null;
  const who = model === 'first' ? { modelName: s.setup.modelName, curves: s.stepCurves, status: s.status } : { modelName: o!.modelName, curves: o!.stepCurves, status: o!.status };
  const curves = who.curves ?? [];
  const order = [...s.setup.lengths].sort((a, b) => a - b);
  const lines = curves.map((c, i) => stepLine(s, c, order.includes(c.length) ? order.indexOf(c.length) : i));
  const lastStep = Math.max(1, ...[...(s.stepCurves ?? []), ...(o?.stepCurves ?? [])].map((c) => c.accuracy.length));
  const empty = !who.curves
    ? 'This evaluation was saved by an older LoopLens, which did not keep the accuracy at every loop step: Evaluate Again to draw it.'
    : who.status === 'running'
      ? 'Evaluating the first length…'
      : 'No lengths were evaluated.';
  return { modelName: who.modelName, lines, lastStep, empty };
}
