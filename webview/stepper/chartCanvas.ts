// A canvas laid over an SVG chart, for what moves with the selected step (a line, a frame,
// points): a step change then repaints this canvas alone, where moving an SVG element would
// invalidate the chart's paint and make Chromium re-layerize the page, which costs more than the
// whole redraw. Also for marks too many for SVG elements (the projection's cloud of every state).
import { el } from '../shared/dom';
import { sizeCanvas } from '../shared/pixelRatio';

export interface ChartCanvas {
  /** Clears the canvas and paints with `paint` (coordinates in CSS pixels of the chart). */
  draw(paint: (g: CanvasRenderingContext2D) => void): void;
}

/** Puts a canvas of `width` x `height` over the top-left of `box` (which must be positioned). */
export function chartCanvas(box: HTMLElement, width: number, height: number): ChartCanvas {
  const canvas = el('canvas', { class: 'st-marks', attrs: { 'aria-hidden': 'true' } });
  const dpr = sizeCanvas(canvas, width, height);
  box.append(canvas);
  const g = canvas.getContext('2d')!;
  return {
    draw(paint) {
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, width, height);
      paint(g);
    },
  };
}

/** A vertical line from y0 to y1 at x. */
export function stepLine(g: CanvasRenderingContext2D, x: number, y0: number, y1: number, color: string, width = 1.5, alpha = 0.7): void {
  g.save();
  g.globalAlpha = alpha;
  g.strokeStyle = color;
  g.lineWidth = width;
  g.beginPath();
  g.moveTo(x, y0);
  g.lineTo(x, y1);
  g.stroke();
  g.restore();
}
