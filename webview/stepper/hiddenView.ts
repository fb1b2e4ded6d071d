// The hidden state across iterations (core/view/hiddenStates.ts): per step and position its norm
// and how far it turned since the previous step (1 − cos, on a log scale), the mean change per step
// with the fixed point marked (does the loop converge, and where), and a 2-D projection (PCA over
// every step and position) with the trajectory of one chosen position through the steps.
import { axisBottom, axisLeft, Delaunay, line, pointer, scaleLinear, scaleLog, select } from 'd3';
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { exportBar } from '../shared/exportBar';
import { svgDocument } from '../charts/exportImage';
import { fmt } from './parts';
import { createTraceGrid } from './traceGrid';
import { gradientLegend } from '../charts/gradientLegend';
import { pngOf } from './lensView';
import { chartCanvas, stepLine } from './chartCanvas';

const LOG_LO = 1e-5;
const logValue = (v: number | null) => (v === null ? null : v <= LOG_LO ? 0 : Math.min(1, (Math.log10(v) - Math.log10(LOG_LO)) / -Math.log10(LOG_LO)));
const sci = (v: number | null) => (v === null ? '–' : v === 0 ? '0' : v < 0.001 ? v.toExponential(1) : fmt.p3(v));

export function createHiddenView(parent: HTMLElement, first: Ctx): View {
  let ctx = first;
  const W = first.vm.tokens.length;
  const columns = Array.from({ length: W }, (_, i) => i);
  const maxNorm = Math.max(1e-12, ...first.vm.hidden.norm.flat());
  const tokenText = (p: number) => `position ${p} (${ctx.vm.tokens[p]!.label}${ctx.vm.tokens[p]!.scored ? ', answer' : ''})`;
  const normGrid = createTraceGrid({
    columns,
    ariaLabel: 'Norm of the hidden state per position and loop step',
    maxHeight: 220,
    minCell: 3,
    value: (t, c) => ctx.vm.hidden.norm[t - 1]![c]! / maxNorm,
    tooltip: (t, c) => [`step ${t} · ${tokenText(c)}`, `‖h‖ = ${fmt.p3(ctx.vm.hidden.norm[t - 1]![c]!)}`],
  });
  const changeGrid = createTraceGrid({
    columns,
    ariaLabel: 'Change of the hidden state since the previous step per position and loop step',
    maxHeight: 220,
    minCell: 3,
    value: (t, c) => logValue(ctx.vm.hidden.cosineChange[t - 1]![c]!),
    mark: (c) => ctx.vm.hidden.settleStep[c] ?? null,
    tooltip: (t, c) => {
      const h = ctx.vm.hidden;
      const s = h.settleStep[c];
      return [`step ${t} · ${tokenText(c)}`, `1 − cos(h_t, h_t−1) = ${sci(h.cosineChange[t - 1]![c]!)}`, `relative change ${sci(h.relativeChange[t - 1]![c]!)}`, s === null ? 'never settles' : `settles (below ${h.tolerance}) from step ${s}`];
    },
  });
  const conv = el('div', { class: 'st-chart st-conv' });
  const pcaBox = el('div', { class: 'st-chart st-pca' });
  const posSelect = el('select', { class: 'st-select', attrs: { 'aria-label': 'Position whose trajectory is drawn', id: 'st-trajectory' } });
  first.vm.tokens.forEach((t, i) => posSelect.append(el('option', { text: `${i} · ${t.label}${t.scored ? ' (answer)' : ''}`, attrs: { value: i } })));
  posSelect.addEventListener('change', () => ctx.actions.patchUi({ trajectory: Number(posSelect.value) }));
  const fixed = el('p', { class: 'st-caption' });
  const legends = el('div', { class: 'st-legend-row' });
  const name = (what: string) => `${ctx.vm.task.name}-hidden-${what}`;
  const exports = exportBar([
    { label: 'CSV', title: 'Norm, change and PCA coordinates per step and position', run: () => ctx.actions.exportData('hidden', 'csv') },
    { label: 'JSON', title: 'The same as JSON records', run: () => ctx.actions.exportData('hidden', 'json') },
    { label: 'PNG', title: 'The projection as a PNG image', run: async () => ctx.actions.exportImage(name('pca'), 'png', await pngOf(pcaSvg())) },
    { label: 'SVG', title: 'The projection as an SVG image', run: () => ctx.actions.exportImage(name('pca'), 'svg', pcaSvg()) },
    { label: 'SVG (change)', title: 'The change map as an SVG image', run: () => ctx.actions.exportImage(name('change'), 'svg', changeGrid.svg(ctx, `${ctx.vm.title} · 1 − cos(h_t, h_t−1), log colour 1e-5 … 1`)) },
  ]);
  const pcaSvg = () => {
    if (!pcaMarks) throw new Error('the projection has not been drawn yet');
    return pcaMarks.svg();
  };
  const card = parent.appendChild(
    el(
      'section',
      { class: 'st-card st-hidden', attrs: { 'aria-label': 'Hidden state across iterations' } },
      el('div', { class: 'card-head' }, el('h2', { text: 'Hidden state across iterations' }), exports),
      el('p', { class: 'st-caption', text: `The state ${first.vm.hidden.source}. Rows are loop steps, columns positions; click a row to go to that step.` }),
      el(
        'div',
        { class: 'st-hidden-grid' },
        el('div', {}, el('h3', { text: 'Norm ‖h_t‖' }), el('div', { class: 'st-scroll-x' }, normGrid.element)),
        el('div', {}, el('h3', { text: 'Change since the previous step: 1 − cos(h_t, h_t−1)' }), el('div', { class: 'st-scroll-x' }, changeGrid.element)),
      ),
      legends,
      el(
        'div',
        { class: 'st-hidden-grid' },
        el('div', {}, el('h3', { text: 'Convergence: mean change per step' }), conv, fixed),
        el('div', {}, el('div', { class: 'st-pca-head' }, el('h3', { text: 'Projection on the first two principal components' }), el('label', { class: 'st-tool' }, 'trajectory of', posSelect)), pcaBox),
      ),
    ),
  );

  let drawnFor = -1;
  let pcaMarks: ReturnType<typeof drawPca> | null = null;
  let convMark: ((step: number) => void) | null = null;
  return {
    element: card,
    update(c) {
      ctx = c;
      const answer = c.vm.tokens.findIndex((t) => t.scored);
      const traj = c.ui.trajectory ?? (answer >= 0 ? answer : 0);
      if (drawnFor !== c.layout || pcaMarks?.position !== traj) {
        drawnFor = c.layout;
        normGrid.draw(c);
        changeGrid.draw(c);
        legends.replaceChildren(
          gradientLegend(c.palette, '‖h‖ ÷ max', [0, 0.5, 1], (v) => String(v)),
          gradientLegend(c.palette, '1 − cos', [0, 0.2, 0.4, 0.6, 0.8, 1], (v) => `1e${Math.round(-5 + 5 * v)}`),
        );
        convMark = drawConvergence(conv, c);
        pcaMarks = drawPca(pcaBox, c, traj);
        posSelect.value = String(traj);
        const h = c.vm.hidden;
        const settled = h.settleStep.filter((s) => s !== null).length;
        fixed.textContent =
          h.fixedPointStep !== null
            ? `Fixed point: from step ${h.fixedPointStep} every position changes by less than 1 − cos = ${h.tolerance} per step.`
            : `No fixed point in ${c.vm.steps.length} steps: ${settled} of ${W} positions settle below 1 − cos = ${h.tolerance}.`;
      } else {
        normGrid.select(c);
        changeGrid.select(c);
      }
      convMark?.(c.ui.step);
      pcaMarks?.select(c.ui.step);
    },
  };
}

function drawConvergence(box: HTMLElement, ctx: Ctx): (step: number) => void {
  const { vm, palette: p } = ctx;
  const M = { top: 10, right: 12, bottom: 34, left: 52 };
  const H = 190;
  const width = Math.max(260, box.clientWidth || 360);
  box.replaceChildren();
  const all = vm.hidden.meanCosineChange;
  const scored = vm.hidden.meanCosineChangeScored;
  const vals = [...all, ...scored].filter((v): v is number => v !== null && v > 0);
  const lo = Math.max(1e-8, Math.min(...vals, 1e-3));
  const hi = Math.max(...vals, lo * 10);
  const x = scaleLinear().domain([1, Math.max(2, vm.steps.length)]).range([M.left, width - M.right]);
  const y = scaleLog().domain([lo, hi]).range([H - M.bottom, M.top]).nice().clamp(true);
  const svg = select(box).append('svg').attr('width', width).attr('height', H).attr('role', 'img').attr('aria-label', 'Mean change of the hidden state per loop step');
  svg.append('g').attr('class', 'st-axis').attr('transform', `translate(0,${H - M.bottom})`).call(axisBottom(x).ticks(Math.min(vm.steps.length, 10)).tickSize(3));
  svg.append('g').attr('class', 'st-axis').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(4, '.0e').tickSize(3));
  svg.append('text').attr('class', 'st-axis-title').attr('x', (M.left + width - M.right) / 2).attr('y', H - 4).attr('text-anchor', 'middle').text('loop step');
  svg.append('text').attr('class', 'st-axis-title').attr('transform', `translate(12,${(M.top + H - M.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('mean 1 − cos');
  const vline = (step: number | null, cls: string) => {
    if (step === null || step < 1 || step > vm.steps.length) return;
    svg.append('line').attr('class', `st-marker ${cls}`).attr('x1', x(step)).attr('x2', x(step)).attr('y1', M.top).attr('y2', H - M.bottom);
  };
  vline(vm.halting.oracleStep, 'oracle');
  vline(vm.halting.adaptiveStep, 'adaptive');
  if (vm.hidden.fixedPointStep !== null) vline(vm.hidden.fixedPointStep, 'fixed');
  const series = (values: (number | null)[], color: string, dash: string) => {
    const pts = values.map((v, i) => ({ step: i + 1, v })).filter((d): d is { step: number; v: number } => d.v !== null && d.v > 0);
    svg.append('path').datum(pts).attr('fill', 'none').attr('stroke', color).attr('stroke-width', 1.8).attr('stroke-dasharray', dash)
      .attr('d', line<{ step: number; v: number }>().x((d) => x(d.step)).y((d) => y(d.v)));
  };
  series(all, p.accent, '');
  if (scored.some((v) => v !== null)) series(scored, p.warn, '4 3');
  const marks = chartCanvas(box, width, H);
  box.append(el('p', { class: 'st-legend' }, el('span', { class: 'st-key line', text: 'all positions' }), el('span', { class: 'st-key answer', text: 'answer positions' }), el('span', { class: 'st-key oracle', text: 'T(n)' }), el('span', { class: 'st-key adaptive', text: 'stop' }), el('span', { class: 'st-key fixed', text: 'fixed point' })));
  return (step) => marks.draw((g) => stepLine(g, x(step), M.top, H - M.bottom, p.focus));
}

interface PcaChart {
  position: number;
  select(step: number): void;
  /** The projection as a standalone SVG: every state, the trajectory and the selected step. */
  svg(): string;
}

/**
 * The projection: axes and the chosen position's trajectory in SVG; the cloud of every state
 * (steps x positions, thousands of points) on a canvas under it, found on hover through a Delaunay
 * triangulation; the selected step's points on a canvas above (chartCanvas.ts).
 */
function drawPca(box: HTMLElement, ctx: Ctx, position: number): PcaChart {
  const { vm, palette: p, tooltip } = ctx;
  const M = { top: 10, right: 12, bottom: 34, left: 46 };
  const width = Math.max(260, box.clientWidth || 360);
  const H = Math.min(320, Math.max(220, width * 0.7));
  box.replaceChildren();
  const pts = vm.hidden.pca.points;
  const T = pts.length;
  const xs = pts.flat().map((q) => q[0]);
  const ys = pts.flat().map((q) => q[1]);
  const pad = (lo: number, hi: number) => (hi > lo ? [lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.05] : [lo - 1, hi + 1]) as [number, number];
  const x = scaleLinear().domain(pad(Math.min(...xs), Math.max(...xs))).range([M.left, width - M.right]);
  const y = scaleLinear().domain(pad(Math.min(...ys), Math.max(...ys))).range([H - M.bottom, M.top]);
  const [e1, e2] = vm.hidden.pca.explained;
  const cloudColour = (t: number) => p.ramp(0.15 + (0.85 * (t + 1)) / T);
  // every state, coloured by its step (early: faint, late: strong)
  const cloud = chartCanvas(box, width, H);
  cloud.draw((g) => {
    g.globalAlpha = 0.55;
    pts.forEach((row, t) => {
      g.fillStyle = cloudColour(t);
      g.beginPath();
      for (const [a, b] of row) {
        g.moveTo(x(a) + 2, y(b));
        g.arc(x(a), y(b), 2, 0, 2 * Math.PI);
      }
      g.fill();
    });
  });
  const svg = select(box).append('svg').attr('class', 'st-pca-svg').attr('width', width).attr('height', H).attr('role', 'img').attr('aria-label', 'Hidden states projected on two principal components');
  svg.append('g').attr('class', 'st-axis').attr('transform', `translate(0,${H - M.bottom})`).call(axisBottom(x).ticks(5).tickSize(3));
  svg.append('g').attr('class', 'st-axis').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(5).tickSize(3));
  svg.append('text').attr('class', 'st-axis-title').attr('x', (M.left + width - M.right) / 2).attr('y', H - 4).attr('text-anchor', 'middle').text(`PC1 (${fmt.pct(e1)} of the variance)`);
  svg.append('text').attr('class', 'st-axis-title').attr('transform', `translate(12,${(M.top + H - M.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(`PC2 (${fmt.pct(e2)})`);
  svg.append('g').attr('class', 'st-pca-cloud'); // filled only in the export
  // hover and click anywhere on the plot: the nearest state
  const flat = pts.flatMap((row, t) => row.map(([a, b], q) => ({ t, q, a, b })));
  const nearest = Delaunay.from(flat, (d) => x(d.a), (d) => y(d.b));
  const hit = svg.append('rect').attr('class', 'st-pca-hit').attr('x', M.left).attr('y', M.top).attr('width', width - M.left - M.right).attr('height', H - M.top - M.bottom).attr('fill', 'transparent');
  const at = (ev: MouseEvent) => {
    const [mx, my] = pointer(ev, svg.node());
    const d = flat[nearest.find(mx, my)];
    return d && Math.hypot(x(d.a) - mx, y(d.b) - my) <= 6 ? d : undefined;
  };
  hit
    .on('click', (ev: MouseEvent) => {
      const d = at(ev);
      if (d) ctx.actions.patchUi({ trajectory: d.q });
    })
    .on('mousemove', (ev: MouseEvent) => {
      const d = at(ev);
      if (d) tooltip.show(ev, [`step ${d.t + 1} · position ${d.q} (${vm.tokens[d.q]!.label})`, `PC1 ${fmt.p3(d.a)}, PC2 ${fmt.p3(d.b)}`, 'click: draw this position’s trajectory']);
      else tooltip.hide();
    })
    .on('mouseleave', () => tooltip.hide());
  // the chosen position's trajectory
  const path = pts.map((row) => row[position]!);
  const traj = svg.append('g').attr('pointer-events', 'none');
  traj.append('path').datum(path).attr('fill', 'none').attr('stroke', p.warn).attr('stroke-width', 1.6)
    .attr('d', line<[number, number]>().x((d) => x(d[0])).y((d) => y(d[1])));
  traj.selectAll('circle.traj').data(path).join('circle').attr('class', 'traj').attr('cx', (d) => x(d[0])).attr('cy', (d) => y(d[1])).attr('r', 2.6).attr('fill', p.warn);
  traj.append('text').attr('class', 'st-pca-label').attr('x', x(path[0]![0]) + 5).attr('y', y(path[0]![1]) - 5).text('step 1');
  traj.append('text').attr('class', 'st-pca-label').attr('x', x(path[T - 1]![0]) + 5).attr('y', y(path[T - 1]![1]) + 12).text(`step ${T}`);
  // the selected step: every position at that step, and the trajectory's point
  const marks = chartCanvas(box, width, H);
  let shown = 1;
  return {
    position,
    select(step) {
      shown = step;
      marks.draw((g) => {
        g.fillStyle = p.accent;
        g.strokeStyle = p.background;
        g.lineWidth = 0.5;
        for (const [a, b] of pts[step - 1] ?? []) {
          g.beginPath();
          g.arc(x(a), y(b), 2.6, 0, 2 * Math.PI);
          g.fill();
          g.stroke();
        }
        const q = path[step - 1];
        if (!q) return;
        g.strokeStyle = p.foreground;
        g.lineWidth = 2;
        g.beginPath();
        g.arc(x(q[0]), y(q[1]), 6, 0, 2 * Math.PI);
        g.stroke();
      });
    },
    svg() {
      return svgDocument(svg.node()!, p.background, (clone) => {
        // what the canvases show, as SVG: the cloud under the trajectory, the selected step above it
        const group = select(clone).select<SVGGElement>('g.st-pca-cloud');
        pts.forEach((row, t) => row.forEach(([a, b]) => group.append('circle').attr('cx', x(a)).attr('cy', y(b)).attr('r', 2).attr('fill', cloudColour(t)).attr('fill-opacity', 0.55)));
        const now = select(clone).append('g');
        for (const [a, b] of pts[shown - 1] ?? []) now.append('circle').attr('cx', x(a)).attr('cy', y(b)).attr('r', 2.6).attr('fill', p.accent).attr('stroke', p.background).attr('stroke-width', 0.5);
        const q = path[shown - 1];
        if (q) now.append('circle').attr('cx', x(q[0])).attr('cy', y(q[1])).attr('r', 6).attr('fill', 'none').attr('stroke', p.foreground).attr('stroke-width', 2);
        select(clone).select('rect.st-pca-hit').remove();
      });
    },
  };
}
