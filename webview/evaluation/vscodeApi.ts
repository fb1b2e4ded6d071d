// The Evaluation webview's handle on the host: typed postMessage and the saved state.
import { EVALUATION_PROTOCOL, type EvaluationToHost, type EvaluationViewState } from '../../src/protocol/evaluation';

interface VsCodeApi {
  postMessage(message: EvaluationToHost): void;
  getState(): unknown;
  setState(state: EvaluationViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();

export function savedState(): EvaluationViewState | null {
  const s = vscodeApi.getState() as Partial<EvaluationViewState> | undefined;
  return s && s.protocol === EVALUATION_PROTOCOL && s.setup && Array.isArray(s.rows) ? (s as EvaluationViewState) : null;
}
