// The loop of a page that draws one state the host sends whole (Training, Evaluation): the state
// saved by an earlier load draws at once, each 'state' message replaces and saves it, a resize
// redraws, and 'ready' asks the host for its current state.
import { hostApi } from './vscodeApi';

export interface StatePage<ToHost, State> {
  /** The state drawn last (null until one is saved or sent). */
  state(): State | null;
  post(message: ToHost): void;
  /** Draws the saved state, then follows the host; call once the page's elements are in `root`. */
  start(root: HTMLElement, render: (state: State) => void): void;
}

const RESIZE_REDRAW_MS = 100;

/** `accept` checks what an earlier load saved (see hostApi). */
export function statePage<ToHost, State>(accept: (saved: unknown) => State | null): StatePage<ToHost, State> {
  const host = hostApi<ToHost | { type: 'ready' }, State>(accept);
  let state = host.savedState();
  return {
    state: () => state,
    post: (message) => host.postMessage(message),
    start(root, render) {
      const draw = () => {
        if (state) render(state);
      };
      window.addEventListener('message', (e: MessageEvent<{ type: string; state: State }>) => {
        if (e.data?.type !== 'state') return;
        state = e.data.state;
        host.setState(state);
        draw();
      });
      let resizeTimer: ReturnType<typeof setTimeout> | undefined;
      new ResizeObserver(() => {
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(draw, RESIZE_REDRAW_MS);
      }).observe(root);
      draw();
      host.postMessage({ type: 'ready' });
    },
  };
}
