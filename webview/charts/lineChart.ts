// A small d3 chart for the Training and Evaluation panels: lines, steps and dots on a linear or log
// y axis (optionally a second y axis on the right), marked points, shaded x ranges, reference lines,
// an HTML legend and a hover read-out of every series at the nearest x. Colours come from CSS classes
// (media/panels.css: c-blue, c-green, …) that map to VS Code's chart theme colours.
import { axisBottom, axisLeft, axisRight, curveLinear, curveStepAfter, extent, line, pointer, scaleLinear, scaleLog, select, symbol, symbolDiamond, type ScaleContinuousNumeric } from 'd3';

export interface ChartPoint {
  x: number;
  y: number | null;
  /** An interval around y (e.g. a 95% confidence interval), drawn as an error bar when the series asks for it. */
  lo?: number | null;
  hi?: number | null;
  /** More about the point for the hover read-out, after its value (e.g. a second measure). */
  note?: string;
}

/** A marked point of a series: a hollow ring or a filled dot, larger than the series' own dots, named by `title`. */
export interface ChartMark {
  x: number;
  shape: 'ring' | 'dot';
  title: string;
}

export interface ChartSeries {
  label: string;
  /** c-blue, c-green, c-orange, c-purple, c-yellow, c-red, c-muted */
  color: string;
  points: ChartPoint[];
  style?: 'line' | 'step' | 'dots' | 'line-dots';
  dashed?: boolean;
  hollow?: boolean;
  /** The dots' shape: circles, or diamonds for a series that must not read as another's dots. */
  dotShape?: 'circle' | 'diamond';
  axis?: 'y' | 'y2';
  /** Hide from the legend (e.g. a series explained by another). */
  noLegend?: boolean;
  /** A wide, translucent line drawn under the others: stays visible where another series lies on top of it. */
  wide?: boolean;
  /** Draw each point's [lo, hi] as an error bar. */
  errorBars?: boolean;
  /** Points to mark (each at the series' point of that x). */
  marks?: ChartMark[];
}

export interface ChartAxis {
  label: string;
  log?: boolean;
  domain?: [number, number];
  format?: (v: number) => string;
  ticks?: number;
  /** Only whole-number ticks (steps, lengths). */
  integer?: boolean;
}

export interface ChartSpec {
  ariaLabel: string;
  height?: number;
  x: ChartAxis;
  y: ChartAxis;
  y2?: ChartAxis;
  series: ChartSeries[];
  /**
   * Shaded x ranges, each labelled at the top of the plot (a later band's label one line lower, so
   * nested ranges stay readable); `color` (a c-* class) draws a band instead as a dashed outline in
   * that colour, which stays apart where it overlaps a shaded one (e.g. a second model's training range).
   */
  bands?: { from: number; to: number; label: string; color?: string }[];
  hlines?: { y: number; label: string; color: string }[];
  /** Shown instead of the plot when no series has a point. */
  empty: string;
  /** Extra legend entries (e.g. for a band). */
  legendExtra?: HTMLElement[];
  /** Legend entries for the series' marks, in the muted colour (each series' own marks take its colour). */
  markLegend?: { shape: ChartMark['shape']; label: string }[];
  /** The hover read-out lists only the series with a point at the cursor's x (curves that end at different x), not each one's nearest. */
  readoutAtX?: boolean;
  /** Called with the x of the points nearest the pointer when the plot is clicked (the read-out then says `clickHint`). */
  onClickX?: (x: number) => void;
  clickHint?: string;
}

const M = { top: 12, right: 16, bottom: 34, left: 54 };

type Scale = ScaleContinuousNumeric<number, number>;

function yScale(axis: ChartAxis, values: number[], range: [number, number]): Scale {
  if (axis.log) {
    const pos = values.filter((v) => v > 0);
    const [lo, hi] = axis.domain ?? (pos.length ? (extent(pos) as [number, number]) : [1e-3, 1]);
    const d: [number, number] = lo === hi ? [lo / 2, hi * 2] : [lo, hi];
    return scaleLog().domain(d).range(range).nice().clamp(true);
  }
  const [lo, hi] = axis.domain ?? (values.length ? (extent(values) as [number, number]) : [0, 1]);
  // one value (e.g. a constant learning rate): show it at 80% of the height, from 0
  const d: [number, number] = lo === hi ? (lo > 0 ? [0, lo * 1.25] : lo < 0 ? [lo * 1.25, 0] : [0, 1]) : [lo >= 0 ? 0 : lo, hi];
  return axis.domain ? scaleLinear().domain(d).range(range) : scaleLinear().domain(d).range(range).nice();
}

/** Log-axis ticks that stay readable: 1, 2, 5 × 10^k over a few decades, only powers of ten over many. */
function logTicks(y: Scale): number[] {
  const [lo, hi] = y.domain() as [number, number];
  const decades = Math.log10(hi / lo);
  const keep = decades > 2.5 ? [1] : decades > 1.2 ? [1, 2, 5] : [1, 2, 3, 5, 7];
  return y.ticks().filter((v) => {
    const lead = Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
    return keep.includes(lead);
  });
}

function fmtDefault(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(3)));
}

export function drawChart(host: HTMLElement, spec: ChartSpec): void {
  host.classList.add('ch-box');
  host.replaceChildren();
  const H = spec.height ?? 200;
  const width = Math.max(260, host.clientWidth || 480);
  const right = spec.y2 ? 52 : M.right;
  const svg = select(host).append('svg').attr('width', width).attr('height', H).attr('role', 'img').attr('aria-label', spec.ariaLabel);
  const all = spec.series.flatMap((s) => s.points);
  const defined = (p: ChartPoint, log?: boolean) => p.y !== null && Number.isFinite(p.y) && (!log || p.y > 0);
  if (!all.some((p) => defined(p))) {
    svg.append('text').attr('class', 'ch-empty').attr('x', width / 2).attr('y', H / 2).attr('text-anchor', 'middle').text(spec.empty);
    host.append(legend(spec));
    return;
  }
  const xs = all.map((p) => p.x);
  for (const b of spec.bands ?? []) xs.push(b.from, b.to);
  const [x0, x1] = spec.x.domain ?? (extent(xs) as [number, number]);
  const x = scaleLinear().domain(x0 === x1 ? [x0 - 1, x1 + 1] : [x0, x1]).range([M.left, width - right]);
  const yRange: [number, number] = [H - M.bottom, M.top];
  const valuesOf = (axis: 'y' | 'y2', log?: boolean) => spec.series.filter((s) => (s.axis ?? 'y') === axis).flatMap((s) => s.points.filter((p) => defined(p, log)).map((p) => p.y!));
  const yVals = valuesOf('y', spec.y.log).concat((spec.hlines ?? []).map((h) => h.y));
  const y = yScale(spec.y, yVals, yRange);
  const y2 = spec.y2 ? yScale(spec.y2, valuesOf('y2', spec.y2.log), yRange) : undefined;
  const scaleFor = (s: ChartSeries) => (s.axis === 'y2' && y2 ? y2 : y);

  // bands under everything
  (spec.bands ?? []).forEach((b, i) => {
    const bx0 = Math.max(M.left, x(b.from));
    const bx1 = Math.min(width - right, x(b.to));
    if (bx1 <= bx0) return;
    const own = b.color ? ` own ${b.color}` : '';
    svg.append('rect').attr('class', `ch-band${own}`).attr('x', bx0).attr('y', M.top).attr('width', bx1 - bx0).attr('height', H - M.bottom - M.top);
    svg.append('text').attr('class', `ch-band-label${own}`).attr('x', bx0 + 4).attr('y', M.top + 11 + 12 * i).text(b.label);
  });
  // grid + axes
  const yTicks = spec.y.ticks ?? 5;
  const xTicks = Math.max(2, Math.min(spec.x.ticks ?? 8, Math.floor((width - M.left - right) / 60)));
  const xAxis = axisBottom(x).ticks(xTicks).tickSizeOuter(0).tickSize(3).tickFormat((v) => (spec.x.format ?? fmtDefault)(Number(v)));
  if (spec.x.integer) xAxis.tickValues(x.ticks(xTicks).filter((v) => Number.isInteger(v)));
  const grid = axisLeft(y).tickSize(-(width - M.left - right)).tickFormat(() => '');
  if (spec.y.log) grid.tickValues(logTicks(y));
  else grid.ticks(yTicks);
  svg.append('g').attr('class', 'ch-grid').attr('transform', `translate(${M.left},0)`).call(grid);
  svg.append('g').attr('class', 'ch-axis').attr('transform', `translate(0,${H - M.bottom})`).call(xAxis);
  const yAxis = axisLeft(y).tickSize(3);
  if (spec.y.log) yAxis.tickValues(logTicks(y));
  else yAxis.ticks(yTicks);
  yAxis.tickFormat((v) => (spec.y.format ?? fmtDefault)(Number(v)));
  svg.append('g').attr('class', 'ch-axis').attr('transform', `translate(${M.left},0)`).call(yAxis);
  if (y2 && spec.y2) {
    const a2 = axisRight(y2).ticks(spec.y2.ticks ?? 5).tickSize(3);
    if (spec.y2.format) a2.tickFormat((v) => spec.y2!.format!(Number(v)));
    svg.append('g').attr('class', 'ch-axis').attr('transform', `translate(${width - right},0)`).call(a2);
    svg.append('text').attr('class', 'ch-axis-title').attr('transform', `translate(${width - 8},${(M.top + H - M.bottom) / 2}) rotate(90)`).attr('text-anchor', 'middle').text(spec.y2.label);
  }
  svg.append('text').attr('class', 'ch-axis-title').attr('x', (M.left + width - right) / 2).attr('y', H - 4).attr('text-anchor', 'middle').text(spec.x.label);
  svg.append('text').attr('class', 'ch-axis-title').attr('transform', `translate(12,${(M.top + H - M.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(spec.y.label);

  for (const h of spec.hlines ?? []) {
    const g = svg.append('g').attr('class', h.color);
    g.append('line').attr('class', 'ch-hline').attr('x1', M.left).attr('x2', width - right).attr('y1', y(h.y)).attr('y2', y(h.y));
    g.append('text').attr('class', 'ch-hline-label').attr('x', width - right - 4).attr('y', y(h.y) - 4).attr('text-anchor', 'end').text(h.label);
  }
  // series
  for (const s of spec.series) {
    const sy = scaleFor(s);
    const log = s.axis === 'y2' ? spec.y2?.log : spec.y.log;
    const g = svg.append('g').attr('class', s.color);
    const style = s.style ?? 'line';
    if (style !== 'dots') {
      const path = line<ChartPoint>().defined((p) => defined(p, log)).x((p) => x(p.x)).y((p) => sy(p.y!)).curve(style === 'step' ? curveStepAfter : curveLinear);
      g.append('path').attr('class', `ch-line${s.dashed ? ' dashed' : ''}${s.wide ? ' wide' : ''}`).attr('d', path(s.points));
    }
    if (s.errorBars) {
      const bars = s.points.filter((p) => defined(p, log) && p.lo !== null && p.lo !== undefined && p.hi !== null && p.hi !== undefined && Number.isFinite(p.lo) && Number.isFinite(p.hi));
      g.selectAll('path.ch-err').data(bars).join('path').attr('class', 'ch-err')
        .attr('d', (p) => `M${x(p.x) - 3},${sy(p.lo!)}h6M${x(p.x)},${sy(p.lo!)}V${sy(p.hi!)}M${x(p.x) - 3},${sy(p.hi!)}h6`);
    }
    if (style === 'dots' || style === 'line-dots') {
      const shown = s.points.filter((p) => defined(p, log));
      const cls = `ch-dot${s.hollow ? ' hollow' : ''}`;
      if (s.dotShape === 'diamond') {
        const d = symbol(symbolDiamond, s.wide ? 90 : 50)();
        g.selectAll('path.ch-dot').data(shown).join('path')
          .attr('class', `${cls} diamond`).attr('d', d).attr('transform', (p) => `translate(${x(p.x)},${sy(p.y!)})`);
      } else {
        g.selectAll('circle.ch-dot').data(shown).join('circle')
          .attr('class', cls).attr('cx', (p) => x(p.x)).attr('cy', (p) => sy(p.y!)).attr('r', s.wide ? 4.5 : 3.2);
      }
    }
    drawMarks(g, s, (p) => defined(p, log), x, sy);
  }
  installHover(host, svg, spec, x, H, right, width);
  host.append(legend(spec));
}

/** The series' marks, rings under dots (a dot at a ringed point stays visible inside it), each with its title. */
function drawMarks(g: ReturnType<typeof select<SVGGElement, unknown>>, s: ChartSeries, defined: (p: ChartPoint) => boolean, x: Scale, y: Scale): void {
  const marked = (s.marks ?? []).flatMap((m) => {
    const p = s.points.find((q) => q.x === m.x && defined(q));
    return p ? [{ ...m, y: p.y! }] : [];
  });
  marked.sort((a, b) => (a.shape === b.shape ? 0 : a.shape === 'ring' ? -1 : 1));
  g.selectAll('circle.ch-mark').data(marked).join('circle')
    .attr('class', (m) => `ch-mark ${m.shape}`).attr('cx', (m) => x(m.x)).attr('cy', (m) => y(m.y)).attr('r', (m) => (m.shape === 'ring' ? 6 : 3.8))
    .append('title').text((m) => m.title);
}

/** A vertical cursor and a read-out of each series' point nearest to the pointer's x. */
function installHover(host: HTMLElement, svg: ReturnType<typeof select<SVGSVGElement, unknown>>, spec: ChartSpec, x: Scale, H: number, right: number, width: number): void {
  const cursor = svg.append('line').attr('class', 'ch-cursor').attr('y1', M.top).attr('y2', H - M.bottom).style('display', 'none');
  const tip = document.createElement('div');
  tip.className = 'ch-tip';
  tip.style.display = 'none';
  host.append(tip);
  const fx = spec.x.format ?? fmtDefault;
  svg.append('rect').attr('class', 'ch-hit').attr('x', M.left).attr('y', M.top).attr('width', Math.max(0, width - right - M.left)).attr('height', H - M.bottom - M.top)
    .on('mousemove', (ev: MouseEvent) => {
      const at = x.invert(pointer(ev)[0]);
      const lines: HTMLElement[] = [];
      const shown = (p: ChartPoint) => p.y !== null && Number.isFinite(p.y);
      const nearest = (pts: ChartPoint[]) => pts.reduce((a, b) => (Math.abs(b.x - at) < Math.abs(a.x - at) ? b : a));
      const every = spec.series.flatMap((s) => s.points.filter(shown));
      let cx = spec.readoutAtX && every.length > 0 ? nearest(every).x : undefined;
      for (const s of spec.series) {
        const pts = s.points.filter((p) => shown(p) && (!spec.readoutAtX || p.x === cx));
        if (pts.length === 0) continue;
        const near = nearest(pts);
        cx ??= near.x;
        const axis = s.axis === 'y2' && spec.y2 ? spec.y2 : spec.y;
        const row = document.createElement('div');
        row.className = `ch-key ${s.color}`;
        const value = document.createElement('b');
        const f = axis.format ?? fmtDefault;
        value.textContent = f(near.y!) + (s.errorBars && near.lo !== null && near.lo !== undefined && near.hi !== null && near.hi !== undefined ? ` [${f(near.lo)}, ${f(near.hi)}]` : '');
        row.append(swatch(s), `${s.label}: `, value, near.note ? ` · ${near.note}` : '', near.x !== cx ? ` (at ${fx(near.x)})` : '');
        lines.push(row);
      }
      if (cx === undefined) return;
      cursor.style('display', null).attr('x1', x(cx)).attr('x2', x(cx));
      const head = document.createElement('div');
      head.className = 'muted';
      head.textContent = `${spec.x.label} ${fx(cx)}`;
      const hint = document.createElement('div');
      hint.className = 'muted';
      hint.textContent = spec.clickHint ?? '';
      tip.replaceChildren(head, ...lines, ...(spec.clickHint ? [hint] : []));
      tip.style.display = 'block';
      tip.style.left = `${Math.max(0, Math.min(x(cx) + 12, width - tip.offsetWidth - 4))}px`;
      tip.style.top = `${M.top}px`;
    })
    .on('mouseleave', () => {
      cursor.style('display', 'none');
      tip.style.display = 'none';
    })
    .on('click', (ev: MouseEvent) => {
      if (!spec.onClickX) return;
      const at = x.invert(pointer(ev)[0]);
      const xs = spec.series.flatMap((s) => s.points.filter((p) => p.y !== null && Number.isFinite(p.y)).map((p) => p.x));
      if (xs.length === 0) return;
      spec.onClickX(xs.reduce((a, b) => (Math.abs(b - at) < Math.abs(a - at) ? b : a)));
    })
    .classed('ch-clickable', !!spec.onClickX);
}

function swatch(s: ChartSeries): HTMLElement {
  const sw = document.createElement('span');
  const dots = s.style === 'dots' || s.style === 'line-dots';
  sw.className = `ch-swatch${s.style === 'dots' ? ' dot' : ''}${dots && s.dotShape === 'diamond' ? ' diamond' : ''}${dots && s.hollow ? ' hollow' : ''}${s.dashed ? ' dashed' : ''}${s.wide ? ' wide' : ''}`;
  return sw;
}

function legend(spec: ChartSpec): HTMLElement {
  const box = document.createElement('div');
  box.className = 'ch-legend';
  for (const s of spec.series) {
    if (s.noLegend) continue;
    const key = document.createElement('span');
    key.className = `ch-key ${s.color}`;
    key.append(swatch(s), document.createTextNode(s.label));
    box.append(key);
  }
  for (const b of spec.bands ?? []) {
    const key = document.createElement('span');
    key.className = 'ch-key';
    const sw = document.createElement('span');
    sw.className = `ch-swatch band${b.color ? ` own ${b.color}` : ''}`;
    key.append(sw, document.createTextNode(b.label));
    box.append(key);
  }
  for (const m of spec.markLegend ?? []) {
    const key = document.createElement('span');
    key.className = 'ch-key c-muted';
    const sw = document.createElement('span');
    sw.className = `ch-swatch mark ${m.shape}`;
    key.append(sw, document.createTextNode(m.label));
    box.append(key);
  }
  for (const e of spec.legendExtra ?? []) box.append(e);
  return box;
}
