// The per-iteration strip: one column per loop step with the decoded answer (green when exact,
// red when not), agreement with the program, and the confidence the halting rule reads;
// markers for the oracle step T(n) and where the adaptive rule stops. Click a column to go there.
// Drawn once per layout; a step change moves only the selection frame, on a canvas above.
import { axisBottom, axisLeft, scaleBand, scaleLinear, select } from 'd3';
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { fmt } from './parts';
import { chartCanvas } from './chartCanvas';

const M = { top: 26, right: 12, bottom: 22, left: 104 };
const LANE = { answer: 24, program: 12, gap: 6, confidence: 58 };

export function createStrip(parent: HTMLElement, ctx: Ctx): View {
  const box = el('div', { class: 'st-strip' });
  parent.append(box);
  let current = ctx;
  let drawnFor = -1;
  let width = 0;
  let select: ((step: number) => void) | null = null;
  const draw = () => {
    select = render(box, current);
    select(current.ui.step);
  };
  const resize = new ResizeObserver(() => {
    if (box.clientWidth !== width) {
      width = box.clientWidth;
      draw();
    }
  });
  resize.observe(box);
  return {
    element: parent,
    update(c) {
      current = c;
      if (drawnFor !== c.layout || !select) {
        drawnFor = c.layout;
        draw();
      } else select(c.ui.step); // a step change only moves the selection
    },
    dispose: () => resize.disconnect(),
  };
}

/** Draws the strip; returns what moves the selection to a step. */
function render(box: HTMLElement, ctx: Ctx): (step: number) => void {
  const { vm, palette: p, actions, tooltip } = ctx;
  const T = vm.steps.length;
  const hasProgram = vm.program !== null;
  const width = Math.max(320, box.clientWidth);
  const lanesH = LANE.answer + (hasProgram ? LANE.program + LANE.gap : 0) + LANE.gap + LANE.confidence;
  const height = M.top + lanesH + M.bottom;
  box.replaceChildren();
  const svg = select(box).append('svg').attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', 'Decoded answer and confidence per loop step');
  const steps = vm.steps.map((s) => s.step);
  const x = scaleBand<number>().domain(steps).range([M.left, width - M.right]).paddingInner(T > 40 ? 0.08 : 0.14);
  const behind = svg.append('g'); // marker lines sit behind the cells so they never cross the text
  const g = svg.append('g');
  let y0 = M.top;

  // Lane labels
  const laneLabel = (text: string, y: number, h: number) =>
    g.append('text').attr('class', 'st-lane-label').attr('x', M.left - 30).attr('y', y + h / 2).attr('dy', '0.35em').attr('text-anchor', 'end').text(text);

  // Answer lane
  laneLabel('answer', y0, LANE.answer);
  const answerY = y0;
  const maxChars = Math.max(...vm.steps.map((s) => (s.answerText || '∅').length));
  const showText = x.bandwidth() >= maxChars * 7.2 + 4;
  for (const s of vm.steps) {
    const fill = s.correct === null ? p.muted : s.correct ? p.pass : p.fail;
    g.append('rect').attr('x', x(s.step)!).attr('y', answerY).attr('width', x.bandwidth()).attr('height', LANE.answer).attr('rx', 2).attr('fill', fill).attr('fill-opacity', 0.75);
    if (showText)
      g.append('text').attr('class', 'st-cell-text').attr('x', x(s.step)! + x.bandwidth() / 2).attr('y', answerY + LANE.answer / 2).attr('dy', '0.35em').attr('text-anchor', 'middle').text(s.answerText || '∅');
  }
  y0 += LANE.answer + LANE.gap;

  // Program agreement lane
  if (hasProgram) {
    laneLabel('= program', y0, LANE.program);
    for (const s of vm.steps) {
      const a = s.programAgreement;
      g.append('rect').attr('x', x(s.step)!).attr('y', y0).attr('width', x.bandwidth()).attr('height', LANE.program).attr('rx', 2)
        .attr('fill', a === null ? 'none' : p.heat(a)).attr('stroke', a === null ? p.grid : 'none').attr('stroke-dasharray', '2 2');
    }
    y0 += LANE.program + LANE.gap;
  }

  // Confidence lane: e^(−score), the geometric mean of the max probability over scored positions.
  const yc = scaleLinear().domain([0, 1]).range([y0 + LANE.confidence, y0]);
  laneLabel('confidence', y0, LANE.confidence / 2);
  g.append('g').attr('class', 'st-axis').attr('transform', `translate(${M.left - 2},0)`).call(axisLeft(yc).ticks(2).tickSize(3).tickFormat((v) => String(v)));
  for (const s of vm.steps) {
    const c = Math.exp(-s.score);
    g.append('rect').attr('x', x(s.step)!).attr('y', yc(c)).attr('width', x.bandwidth()).attr('height', yc(0) - yc(c)).attr('fill', p.accent).attr('fill-opacity', s.step === vm.halting.adaptiveStep ? 1 : 0.55);
  }
  const axisY = y0 + LANE.confidence;
  const every = Math.max(1, Math.ceil(T / Math.floor((width - M.left - M.right) / 28)));
  g.append('g').attr('class', 'st-axis').attr('transform', `translate(0,${axisY + 2})`)
    .call(axisBottom(x).tickValues(steps.filter((s) => s === 1 || s % every === 0)).tickSize(3));

  // Markers: T(n) and the adaptive stop
  const marker = (step: number | null, label: string, cls: string, dx: number) => {
    if (step === null || step < 1 || step > T) return;
    const cx = x(step)! + x.bandwidth() / 2;
    behind.append('line').attr('class', `st-marker ${cls}`).attr('x1', cx).attr('x2', cx).attr('y1', M.top - 4).attr('y2', axisY);
    g.append('path').attr('class', `st-marker-head ${cls}`).attr('d', `M${cx - 4},${M.top - 5}h8l-4,5z`);
    g.append('text').attr('class', `st-marker-label ${cls}`).attr('x', cx + dx).attr('y', M.top - 8).attr('text-anchor', dx < 0 ? 'end' : dx > 0 ? 'start' : 'middle').text(label);
  };
  const { oracleStep, adaptiveStep } = vm.halting;
  const same = oracleStep === adaptiveStep;
  // the left marker's label extends left, the right one's right, so two close markers never overlap
  const stopLeft = !same && adaptiveStep !== null && oracleStep !== null && adaptiveStep < oracleStep;
  marker(oracleStep, same ? 'T(n) = stop' : 'T(n)', 'oracle', same ? 0 : stopLeft ? 3 : -3);
  if (!same) marker(adaptiveStep, 'stop', 'adaptive', stopLeft ? -3 : 3);

  // Hit areas; the selected step's frame is on a canvas above (chartCanvas.ts)
  for (const s of vm.steps) {
    g.append('rect').attr('class', 'st-hit').attr('x', x(s.step)!).attr('y', M.top - 4).attr('width', x.step()).attr('height', axisY - M.top + 6)
      .on('click', () => actions.setStep(s.step))
      .on('mousemove', (ev: MouseEvent) =>
        tooltip.show(ev, [
          `Step ${s.step}${s.step === oracleStep ? ' · T(n)' : ''}${s.step === adaptiveStep ? ' · adaptive stop' : ''}`,
          `answer ${s.answerText || '∅'} ${s.correct === null ? '' : s.correct ? '✓ exact' : '✗ wrong'}`,
          `confidence ${fmt.p3(Math.exp(-s.score))} (score ${fmt.p3(s.score)})`,
          s.programAgreement === null ? '' : `agrees with program on ${fmt.pct(s.programAgreement)} of scored positions`,
        ].filter(Boolean)),
      )
      .on('mouseleave', () => tooltip.hide());
  }
  const marks = chartCanvas(box, width, height);
  return (step) =>
    marks.draw((c) => {
      c.strokeStyle = p.focus;
      c.lineWidth = 2;
      c.beginPath();
      c.roundRect(x(step)! - 2, M.top - 3, x.bandwidth() + 4, axisY - M.top + 5, 3);
      c.stroke();
    });
}
