// Smoke test: LoopLens installs from its .vsix into a real VS Code, activates (loading ONNX
// Runtime in the extension host), and "Show Welcome" opens its Getting Started walkthrough.
import assert from 'node:assert/strict';
import { vsCodeTest, waitForText } from './harness';

vsCodeTest('LoopLens: Show Welcome opens the Getting Started walkthrough', async (vs) => {
  await vs.runCommand('LoopLens: Show Welcome');
  await waitForText(vs.page.locator('.gettingStartedContainer'), 'Get Started with LoopLens', 30_000);
  await vs.screenshot('welcome');
});

vsCodeTest('the extension activated without errors and logged to its output channel', async (vs) => {
  const hostLog = vs.logs(/exthost\.log$/);
  assert.match(hostLog, /_doActivateExtension looplens\.looplens\b/, 'the extension host log should show LoopLens activating');
  assert.doesNotMatch(hostLog, /Activating extension .?looplens\.looplens.? failed/);
  assert.match(vs.logs(/-LoopLens\.log$/), /LoopLens activated \(ONNX Runtime 1\.29\.0\)/);
});
