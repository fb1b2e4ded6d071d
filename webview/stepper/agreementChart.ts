// Agreement across steps: the share of scored positions where the model's decoded token equals
// the program's read-out after the same number of steps, with the model's exact-match result per
// step as ticks along the bottom, and T(n), the adaptive stop and the selected step marked.
import { axisBottom, axisLeft, line, scaleLinear, select } from 'd3';
import type { Ctx } from './context';
import { el } from '../shared/dom';
import { chartCanvas, stepLine } from './chartCanvas';

const M = { top: 14, right: 14, bottom: 40, left: 40 };
const H = 170;

/** Draws the chart; returns what moves the selected-step line (a canvas above it: a step change draws nothing else). */
export function drawAgreement(box: HTMLElement, ctx: Ctx): (step: number) => void {
  const { vm, ui, palette: p, tooltip } = ctx;
  const points = vm.compare?.agreement ?? [];
  box.replaceChildren();
  if (points.length === 0) {
    box.append(el('p', { class: 'muted', text: 'No program steps to compare with.' }));
    return () => {};
  }
  const width = Math.max(280, box.clientWidth);
  const T = vm.steps.length;
  const x = scaleLinear().domain([1, Math.max(2, T)]).range([M.left, width - M.right]);
  const y = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const svg = select(box).append('svg').attr('width', width).attr('height', H).attr('role', 'img').attr('aria-label', 'Agreement between model and program per step');
  svg.append('g').attr('class', 'st-axis').attr('transform', `translate(0,${H - M.bottom})`).call(axisBottom(x).ticks(Math.min(T, 10)).tickFormat((v) => String(v)).tickSize(3));
  svg.append('g').attr('class', 'st-axis').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).ticks(4).tickFormat((v) => `${Math.round(Number(v) * 100)}%`).tickSize(3));
  svg.append('text').attr('class', 'st-axis-title').attr('x', (M.left + width - M.right) / 2).attr('y', H - 6).attr('text-anchor', 'middle').text('loop step');
  const vline = (step: number | null, cls: string) => {
    if (step === null || step < 1 || step > T) return;
    svg.append('line').attr('class', `st-marker ${cls}`).attr('x1', x(step)).attr('x2', x(step)).attr('y1', M.top).attr('y2', H - M.bottom);
  };
  vline(vm.halting.oracleStep, 'oracle');
  vline(vm.halting.adaptiveStep, 'adaptive');
  const marks = chartCanvas(box, width, H);
  const moveTo = (step: number) => marks.draw((g) => stepLine(g, x(step), M.top, H - M.bottom, p.focus));
  moveTo(ui.step);
  svg.append('path').datum(points).attr('fill', 'none').attr('stroke', p.accent).attr('stroke-width', 2)
    .attr('d', line<(typeof points)[number]>().x((d) => x(d.step)).y((d) => y(d.fraction)));
  svg.selectAll('circle.pt').data(points).join('circle').attr('class', 'pt').attr('cx', (d) => x(d.step)).attr('cy', (d) => y(d.fraction)).attr('r', 3).attr('fill', p.accent)
    .on('mousemove', (ev: MouseEvent, d) => tooltip.show(ev, [`step ${d.step}`, `model = program on ${d.matched} of ${d.total} scored positions`]))
    .on('mouseleave', () => tooltip.hide());
  // exact match of the model per step, as ticks under the axis line
  svg.selectAll('rect.ok').data(vm.steps).join('rect').attr('class', 'ok').attr('x', (d) => x(d.step) - 2).attr('y', H - M.bottom + 16).attr('width', 4).attr('height', 6)
    .attr('fill', (d) => (d.correct === null ? p.muted : d.correct ? p.pass : p.fail));
  return moveTo;
}

export function agreementLegend(): HTMLElement {
  return el(
    'p',
    { class: 'st-legend' },
    el('span', { class: 'st-key line', text: 'model = program (scored positions)' }),
    el('span', { class: 'st-key pass', text: 'exact' }),
    el('span', { class: 'st-key fail', text: 'wrong' }),
    el('span', { class: 'st-key oracle', text: 'T(n)' }),
    el('span', { class: 'st-key adaptive', text: 'adaptive stop' }),
  );
}
