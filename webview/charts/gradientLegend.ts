// A small colour legend: the heat maps' ramp (theme.ts) as a gradient bar with d3 ticks. Styles:
// media/looplens.css (.hm-legend), so the stepper and the Evaluation panel both draw it.
import { axisBottom, scaleLinear, select } from 'd3';
import { el } from '../shared/dom';
import type { Palette } from './theme';

export function gradientLegend(p: Palette, title: string, ticks: number[], format: (v: number) => string, width = 140): HTMLElement {
  const box = el('span', { class: 'hm-legend' }, el('span', { class: 'hm-legend-title', text: title }));
  const svg = select(box).append('svg').attr('width', width + 16).attr('height', 30).attr('role', 'img').attr('aria-label', `${title}: colour scale`);
  const n = 32;
  for (let i = 0; i < n; i++) svg.append('rect').attr('x', 8 + (i * width) / n).attr('y', 2).attr('width', width / n + 0.5).attr('height', 10).attr('fill', p.ramp(i / (n - 1)));
  const x = scaleLinear().domain([0, 1]).range([8, 8 + width]);
  svg.append('g').attr('class', 'hm-legend-axis').attr('transform', 'translate(0,13)').call(axisBottom(x).tickValues(ticks).tickFormat((v) => format(Number(v))).tickSize(3));
  return box;
}
