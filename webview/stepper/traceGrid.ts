// The stepper's position x iteration maps (logit lens, hidden state): the panels' heat grid
// (webview/charts/heatGrid.ts) fed from the trace's view model: its steps as rows, the given
// positions as columns (labelled by their tokens), T(n) dashed and the stop solid under their rows,
// the current step outlined; click a row to go to that step.
import type { Ctx } from './context';
import { createHeatGrid } from '../charts/heatGrid';

export interface TraceGridSpec {
  /** Column positions (indices into vm.tokens). */
  columns: number[];
  /** Colour value in [0, 1] of (step t, column index c), or null for an empty cell. */
  value(t: number, c: number): number | null;
  /** Tooltip lines of a cell. */
  tooltip(t: number, c: number): string[];
  /** Extra marks per column: a step to dot (e.g. where it settles), or null. */
  mark?(c: number): number | null;
  ariaLabel: string;
  /** Height budget of the map (px). */
  maxHeight: number;
  minCell: number;
}

export interface TraceGrid {
  element: HTMLElement;
  /** Repaints everything (new view model, theme, size). */
  draw(ctx: Ctx): void;
  /** Moves the selected-step outline. */
  select(ctx: Ctx): void;
  /** The map as an SVG document. */
  svg(ctx: Ctx, title: string): string;
}

const themeColor = (name: string, fallback: string) => getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

export function createTraceGrid(spec: TraceGridSpec): TraceGrid {
  let ctxRef: Ctx | null = null;
  const grid = createHeatGrid({ ariaLabel: spec.ariaLabel, maxHeight: spec.maxHeight, minCell: spec.minCell, onRowClick: (t) => ctxRef?.actions.setStep(t) });
  return {
    element: grid.element,
    draw(ctx) {
      ctxRef = ctx;
      const { vm } = ctx;
      grid.draw({
        rows: vm.steps.length,
        columns: spec.columns.length,
        value: spec.value,
        tooltip: spec.tooltip,
        mark: spec.mark,
        columnLabel: (c, roomy) => (roomy ? ctx.vm.tokens[spec.columns[c]!]!.label : String(spec.columns[c])),
        stepMarks: [
          { step: vm.halting.oracleStep, color: themeColor('--vscode-charts-yellow', '#cca700'), dash: [4, 3], style: 'below' },
          { step: vm.halting.adaptiveStep, color: themeColor('--vscode-charts-purple', '#b180d7'), dash: [], style: 'below' },
        ],
        selected: ctx.ui.step,
        palette: ctx.palette,
        tip: ctx.tooltip,
      });
    },
    select(ctx) {
      ctxRef = ctx;
      grid.select(ctx.ui.step);
    },
    svg(ctx, title) {
      ctxRef = ctx;
      return grid.svg(title, 'position');
    },
  };
}
