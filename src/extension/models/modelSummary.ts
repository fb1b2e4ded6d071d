// How a loaded model is described to people: the status bar text, its tooltip and the one-message
// summary shown when it is opened. No vscode import.
import * as path from 'node:path';
import type { LoadedModel } from '../../core/model/modelFile';
import { attentionScaleChip, type EvalSummaryRow } from '../../core/model/modelMetadata';
import { formatDuration } from '../train/trainingState';
import { recordedTrainedLengths, trainedLengthsText } from '../../core/train/trainRecord';

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(x === 1 || x === 0 ? 0 : 1)}%` : '–');

/** "parity · d64 L1 H4" */
export function statusText(m: LoadedModel): string {
  const c = m.config;
  return `${m.task.name} · d${c.d} L${c.layers} H${c.heads}`;
}

/** "d = 64, 1 layer, 4 heads" (and ", no input injection" or ", attention × ln keys" where the model is not the paper's) */
export function configText(m: Pick<LoadedModel, 'config'>): string {
  const c = m.config;
  const attention = attentionScaleChip(c);
  return `d = ${c.d}, ${c.layers} layer${c.layers === 1 ? '' : 's'}, ${c.heads} head${c.heads === 1 ? '' : 's'}${c.inputInjection ? '' : ', no input injection'}${attention ? `, ${attention}` : ''}`;
}

/** "6000 steps with the cpu preset in 12m 3s, final loss 0.00121"; a soup: "as a soup of 3 models, the first 6000 steps …" (its record is the first's). */
export function trainingText(m: LoadedModel): string {
  const t = m.metadata.training;
  const parts = [`${t.stepsCompleted.toLocaleString('en-US')} steps with the ${t.preset} preset`];
  if (Number.isFinite(t.elapsedSeconds) && t.elapsedSeconds > 0) parts.push(`in ${formatDuration(t.elapsedSeconds)}`);
  let s = parts.join(' ');
  if (t.finalLoss !== null && Number.isFinite(t.finalLoss)) s += `, final loss ${t.finalLoss.toPrecision(3)}`;
  return t.soup === undefined ? s : `as a soup of ${t.soup.length} models, the first ${s}`;
}

/** The longest evaluated length's row, the one that says most about length generalization. */
export function headlineRow(rows: readonly EvalSummaryRow[] | undefined): EvalSummaryRow | undefined {
  if (!rows || rows.length === 0) return undefined;
  return [...rows].sort((a, b) => b.length - a.length)[0];
}

/** "at length 40: oracle 100%, adaptive (paper rule) 100%, per example 52%" */
export function evalText(m: LoadedModel): string | undefined {
  const row = headlineRow(m.metadata.training.evaluation?.rows);
  if (!row) return undefined;
  return `at length ${row.length}: oracle ${pct(row.oracle)}, adaptive (paper rule) ${pct(row.perBatch)}, per example ${pct(row.perExample)}`;
}

/** "lengths 1..20", or "trained lengths unknown" for a file that predates the record. */
export function lengthsText(m: LoadedModel): string {
  const t = recordedTrainedLengths(m.metadata.training);
  return t ? `lengths ${trainedLengthsText(t)}` : 'trained lengths unknown';
}

/** One line for the notification shown when a model is opened. */
export function openedMessage(m: LoadedModel): string {
  const ev = evalText(m);
  return `LoopLens: opened ${path.basename(m.source)}: ${m.task.title} (${configText(m)}), trained ${trainingText(m)} (${lengthsText(m)}).${ev ? ` Evaluated ${ev}.` : ' Not evaluated yet.'}`;
}

/** Markdown for the status bar tooltip. */
export function tooltipMarkdown(m: LoadedModel): string {
  const lines = [
    `**${m.task.title}** looped model — ${escapeMd(path.basename(m.source))}`,
    '',
    `- ${configText(m)}; ${m.metadata.stepsRule.oracle}`,
    `- trained ${trainingText(m)}`,
    `- ${lengthsText(m)}`,
  ];
  const rows = m.metadata.training.evaluation?.rows ?? [];
  if (rows.length > 0) {
    lines.push('', '| length | oracle | paper rule | per example |', '|---:|---:|---:|---:|');
    for (const r of rows) lines.push(`| ${r.length} | ${pct(r.oracle)} | ${pct(r.perBatch)} | ${pct(r.perExample)} |`);
  }
  lines.push('', 'Click to step through its loop iterations.');
  return lines.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+\-.!|])/g, '\\$1');
}
