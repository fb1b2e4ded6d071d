// Runs the views' updates: a view whose card is in view (or near it) updates at once; one out of
// view is marked stale and updated in idle time, or as soon as it scrolls into view, so a step
// change pays only for what can be seen. The latest state is read when a stale view is updated.
import type { Ctx, View } from './context';

/** How far outside the viewport a card still counts as in view (it may scroll in next). */
const MARGIN = '200px 0px';
/** A stale view is updated within this time even when the page never idles (e.g. while playing). */
const IDLE_TIMEOUT_MS = 400;

export interface ViewScheduler {
  /** Updates every view now or later, as above. */
  run(): void;
  /** Stops observing (the views are about to be replaced). */
  dispose(): void;
}

/** `ctx` gives the state to draw when an update runs; `onUpdate` runs each update (measure-redraw.ts times them). */
export function scheduleViews(views: View[], ctx: () => Ctx, onUpdate: (view: View, update: () => void) => void = (_v, u) => u()): ViewScheduler {
  /** Cards known to be out of view; a card not yet reported counts as in view. */
  const hidden = new Set<Element>();
  const stale = new Set<View>();
  let idle: number | null = null;
  const update = (v: View) => {
    stale.delete(v);
    onUpdate(v, () => v.update(ctx()));
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) hidden.delete(e.target);
        else hidden.add(e.target);
      }
      for (const v of [...stale]) if (v.element && !hidden.has(v.element)) update(v);
    },
    { rootMargin: MARGIN },
  );
  for (const v of views) if (v.element) observer.observe(v.element);

  const drain = (deadline: IdleDeadline) => {
    idle = null;
    for (const v of views) {
      if (!stale.has(v)) continue;
      if (deadline.timeRemaining() <= 1 && !deadline.didTimeout) break;
      update(v);
    }
    if (stale.size) idle = requestIdleCallback(drain, { timeout: IDLE_TIMEOUT_MS });
  };

  return {
    run() {
      for (const v of views) {
        if (v.element && hidden.has(v.element)) stale.add(v);
        else update(v);
      }
      if (stale.size && idle === null) idle = requestIdleCallback(drain, { timeout: IDLE_TIMEOUT_MS });
    },
    dispose() {
      observer.disconnect();
      if (idle !== null) cancelIdleCallback(idle);
      stale.clear();
    },
  };
}
