// The Training webview's handle on the host: typed postMessage and the saved state.
import { TRAINING_PROTOCOL, type TrainingToHost, type TrainingViewState } from '../../src/protocol/training';

interface VsCodeApi {
  postMessage(message: TrainingToHost): void;
  getState(): unknown;
  setState(state: TrainingViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();

export function savedState(): TrainingViewState | null {
  const s = vscodeApi.getState() as Partial<TrainingViewState> | undefined;
  return s && s.protocol === TRAINING_PROTOCOL && s.setup && Array.isArray(s.history) ? (s as TrainingViewState) : null;
}
