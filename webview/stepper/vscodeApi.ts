// The webview's handle on the host: typed postMessage and the persisted UI state.
import type { StepperToHost, StepperUiState } from '../../src/protocol/stepper';

interface VsCodeApi {
  postMessage(message: StepperToHost): void;
  getState(): unknown;
  setState(state: StepperUiState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page: keep the one instance here. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();

export function savedUiState(): StepperUiState | null {
  const s = vscodeApi.getState() as Partial<StepperUiState> | undefined;
  if (!s || typeof s.step !== 'number' || typeof s.layer !== 'number') return null;
  return { step: s.step, layer: s.layer, focusHead: typeof s.focusHead === 'number' ? s.focusHead : null, origin: s.origin ?? null };
}
