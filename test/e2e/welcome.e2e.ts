// Smoke test: LoopLens installs from its .vsix into a real VS Code, activates, and its Welcome
// webview shows what the extension host reported (so host ↔ webview messaging works too).
import assert from 'node:assert/strict';
import { vsCodeTest, waitForText } from './harness';

vsCodeTest('LoopLens: Show Welcome opens a webview that reports the ONNX Runtime', async (vs) => {
  await vs.runCommand('LoopLens: Show Welcome');
  const runtime = await waitForText(vs.webviewFrame().locator('#runtime'), 'ONNX Runtime 1.29.0');
  assert.match(runtime, /execution provider: CPU/);
  await vs.screenshot('welcome');
});

vsCodeTest('the extension activated without errors and logged to its output channel', async (vs) => {
  const hostLog = vs.logs(/exthost\.log$/);
  assert.match(hostLog, /_doActivateExtension looplens\.looplens\b/, 'the extension host log should show LoopLens activating');
  assert.doesNotMatch(hostLog, /Activating extension .?looplens\.looplens.? failed/);
  assert.match(vs.logs(/-LoopLens\.log$/), /LoopLens activated \(ONNX Runtime 1\.29\.0\)/);
});
