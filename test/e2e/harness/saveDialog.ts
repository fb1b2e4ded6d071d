// The save dialog behind a panel's export links. code-server shows VS Code's simple file dialog: a
// quick input holding the suggested path, filled in once it has read the folder.
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { VsCode } from './vscode';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for the dialog to suggest `fileName` in the workspace folder, accepts it and waits until
 * the file is written; returns its path.
 */
export async function acceptSaveDialog(vs: VsCode, fileName: string, timeoutMs = 20_000): Promise<string> {
  const input = vs.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  const suggested = `${basename(vs.server.workspace)}/${fileName}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await input.inputValue()).endsWith(suggested) && Date.now() < deadline) await sleep(200);
  const value = await input.inputValue();
  if (!value.endsWith(suggested)) throw new Error(`the save dialog suggests "${value}", not …/${suggested}`);
  await input.press('Enter');
  const file = join(vs.server.workspace, fileName);
  while (!(existsSync(file) && statSync(file).size > 0) && Date.now() < deadline + timeoutMs) await sleep(200);
  if (!existsSync(file)) throw new Error(`${file} was not written`);
  return file;
}
