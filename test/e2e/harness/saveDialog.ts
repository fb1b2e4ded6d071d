// The file dialogs: the save dialog behind a panel's export links, and the open dialog of a command
// that picks a file. code-server shows VS Code's simple file dialog: a quick input holding the
// suggested path, filled in once it has read the folder.
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

/** Waits for VS Code's simple open dialog (titled `title`), types `file` (an absolute path) into it and accepts it. */
export async function answerOpenDialog(vs: VsCode, title: string, file: string, timeoutMs = 30_000): Promise<void> {
  const widget = vs.page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  // the dialog opens once the command has run: wait for its own title, not any quick input
  const open = widget.locator('.quick-input-title', { hasText: title });
  await open.waitFor({ state: 'visible', timeout: timeoutMs });
  // the dialog first fills in the folder it opens on; typing before that would be overwritten
  const filled = Date.now() + 5_000;
  while ((await input.inputValue()) === '' && Date.now() < filled) await sleep(200);
  const deadline = Date.now() + timeoutMs;
  // Enter may complete or reset the path while the dialog reads its folder: type it again until accepted
  while ((await open.isVisible()) && Date.now() < deadline) {
    if ((await input.inputValue()) !== file) await input.fill(file);
    await input.press('Enter');
    await sleep(500);
  }
  if (await open.isVisible()) throw new Error(`the open dialog "${title}" did not accept ${file}; it shows "${await input.inputValue()}"`);
}
