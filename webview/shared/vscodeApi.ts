// A panel page's handle on its host: postMessage typed by what the page sends, and the state it
// saves with vscode.setState (restored when the panel is shown again or after a window reload).

export interface HostApi<ToHost, State> {
  postMessage(message: ToHost): void;
  setState(state: State): void;
  /** The state an earlier load of this page saved, when `accept` recognises it; else null. */
  savedState(): State | null;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called only once per page: keep the one instance here.
let acquired: VsCodeApi | undefined;

/** `accept` checks what was saved (undefined, or whatever an older version stored) and returns it as a State, or null to start fresh. */
export function hostApi<ToHost, State>(accept: (saved: unknown) => State | null): HostApi<ToHost, State> {
  const api = (acquired ??= acquireVsCodeApi());
  return {
    postMessage: (message) => api.postMessage(message),
    setState: (state) => api.setState(state),
    savedState: () => accept(api.getState()),
  };
}
