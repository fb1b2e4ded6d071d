// Answering VS Code's quick picks and input boxes from e2e tests.
import type { VsCode } from './vscode';

const widget = (vs: VsCode) => vs.page.locator('.quick-input-widget');
const input = (vs: VsCode) => widget(vs).locator('.quick-input-box input');

/** Types `filter` into the open quick pick and accepts the first row containing `rowText`. */
export async function pickQuickItem(vs: VsCode, filter: string, rowText: string | RegExp, timeoutMs = 15_000): Promise<void> {
  await input(vs).waitFor({ state: 'visible', timeout: timeoutMs });
  await input(vs).fill(filter);
  const row = widget(vs).locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/** Waits for the open quick pick to show a row containing `rowText` (a list shown again after a pick) and returns its text. */
export async function waitForQuickItem(vs: VsCode, rowText: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const row = widget(vs).locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  return row.innerText();
}

/**
 * Types `text` into the open input box. With `rejectedWith`, waits for that validation message
 * (the box stays open); otherwise presses Enter.
 */
export async function answerInputBox(vs: VsCode, text: string, rejectedWith?: string | RegExp, timeoutMs = 15_000): Promise<void> {
  await input(vs).waitFor({ state: 'visible', timeout: timeoutMs });
  await input(vs).fill(text);
  if (rejectedWith !== undefined) {
    await widget(vs).locator('.quick-input-message', { hasText: rejectedWith }).waitFor({ state: 'visible', timeout: timeoutMs });
    return;
  }
  await input(vs).press('Enter');
  await boxGone(vs, text);
}

/**
 * Waits (at most a few seconds) for the box just answered to go: the next box reuses the widget,
 * so text typed before it has replaced this one would land here. Gone: the widget hidden, or
 * another value in it (a next box whose default is the same answer costs the wait, nothing else).
 */
async function boxGone(vs: VsCode, answered: string): Promise<void> {
  const until = Date.now() + 5_000;
  while (Date.now() < until) {
    if (!(await widget(vs).isVisible()) || (await input(vs).inputValue()) !== answered) return;
    await vs.page.waitForTimeout(50);
  }
}

/**
 * In the open multi-select quick pick, ticks the first row containing each of `rowTexts` (typing
 * `filter(text)` to find it), then clears the filter and accepts (OK).
 */
export async function tickQuickItems(vs: VsCode, rowTexts: readonly { filter: string; row: string | RegExp }[], timeoutMs = 15_000): Promise<void> {
  await input(vs).waitFor({ state: 'visible', timeout: timeoutMs });
  for (const { filter, row: text } of rowTexts) {
    await input(vs).fill(filter);
    const row = widget(vs).locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    const box = row.locator('input[type=checkbox], .monaco-custom-toggle, .quick-input-list-checkbox').first();
    await ((await box.count()) > 0 ? box : row).click();
  }
  await input(vs).fill('');
  await input(vs).press('Enter');
  await boxGone(vs, '');
}
