// The Welcome webview: renders what the host reports about the runtime.
import type { WelcomeToHost, WelcomeToWebview } from '../src/protocol/welcome';

declare function acquireVsCodeApi(): { postMessage(m: WelcomeToHost): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

function render(m: WelcomeToWebview): void {
  const { info } = m;
  app.removeAttribute('aria-busy');
  app.innerHTML = '';
  const h = document.createElement('h1');
  h.textContent = 'LoopLens';
  const p = document.createElement('p');
  p.textContent = 'Train looped transformers and step through every loop iteration beside its RASP-L program.';
  const env = document.createElement('p');
  env.id = 'runtime';
  env.textContent = `LoopLens ${info.version} · ONNX Runtime ${info.onnxRuntime} · execution provider: ${info.provider}`;
  app.append(h, p, env);
  if (info.providerNote) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = `CUDA: ${info.providerNote}`;
    app.append(note);
  }
}

window.addEventListener('message', (e: MessageEvent<WelcomeToWebview>) => {
  if (e.data?.type === 'info') render(e.data);
});
vscode.postMessage({ type: 'ready' });
