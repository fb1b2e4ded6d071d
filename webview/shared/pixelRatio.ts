// Every canvas is backed at the device pixel ratio, which changes when the window moves to another
// monitor or the zoom changes: canvases are sized here, and a page redraws them on a change.

/** Device pixels per CSS pixel now. */
export function pixelRatio(): number {
  return window.devicePixelRatio || 1;
}

/** Sizes `canvas` to `w` x `h` CSS pixels with a backing store at the current ratio; returns that ratio. */
export function sizeCanvas(canvas: HTMLCanvasElement, w: number, h: number): number {
  const ratio = pixelRatio();
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(h * ratio);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  return ratio;
}

/** Calls `onChange` after every change of the ratio; returns what stops watching. */
export function watchPixelRatio(onChange: () => void): () => void {
  let query: MediaQueryList | null = null;
  const changed = () => {
    arm();
    onChange();
  };
  // a resolution query matches one ratio only: after a change, watch the new one
  const arm = () => {
    query = window.matchMedia(`(resolution: ${pixelRatio()}dppx)`);
    query.addEventListener('change', changed, { once: true });
  };
  arm();
  return () => query?.removeEventListener('change', changed);
}
