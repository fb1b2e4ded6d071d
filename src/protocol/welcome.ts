// Messages between the host and the Welcome webview. Imported by both sides.
export interface WelcomeInfo {
  version: string;
  onnxRuntime: string;
  provider: string;
  providerNote?: string;
}

export type WelcomeToWebview = { type: 'info'; info: WelcomeInfo };
export type WelcomeToHost = { type: 'ready' };
