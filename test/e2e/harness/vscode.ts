// A VS Code window for end-to-end tests: code-server with LoopLens installed, driven through
// Debian's chromium by playwright-core. Every wait is bounded; close() always frees everything.
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';

export interface VsCodeOptions {
  settings?: CodeServerOptions['settings'];
  workspaceFiles?: CodeServerOptions['workspaceFiles'];
}

export interface VsCode {
  page: Page;
  server: CodeServer;
  /** Runs a command through the palette by its full title, e.g. "LoopLens: Show Welcome". */
  runCommand(title: string): Promise<void>;
  /** Opens a workspace file by its path relative to the workspace (Quick Open), waiting for its tab. */
  openFile(path: string): Promise<void>;
  /** The DOM inside the visible webview (the extension's HTML); `nth` picks one when several are visible. */
  webviewFrame(nth?: number): FrameLocator;
  /** A notification toast containing `text`. */
  notification(text: string | RegExp): Locator;
  /** Saves a PNG of the window under the artifacts folder; returns its path. */
  screenshot(name: string): Promise<string>;
  /** Text of every log file (extension host, output channels, …) whose name matches. */
  logs(fileName: RegExp): string;
  closeAllEditors(): Promise<void>;
  /** Closes the browser and the server; with `saveLogsTo`, keeps code-server's logs there. */
  close(saveLogsTo?: string): Promise<void>;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
const WORKBENCH_TIMEOUT_MS = 60_000;
const PALETTE_TIMEOUT_MS = 40_000;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests with \`npm run test:e2e\` (node scripts/e2e/run-e2e.mjs [filter]), which installs code-server and packages the .vsix first`);
  return value;
}

export function artifactsDir(): string {
  const dir = process.env.LOOPLENS_ARTIFACTS ?? join(process.cwd(), '.artifacts', 'e2e');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function readLogs(dir: string, fileName: RegExp): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return readLogs(path, fileName);
      return fileName.test(name) ? readFileSync(path, 'utf8') : '';
    })
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function runCommandOnce(page: Page, title: string, waitMs: number): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  await input.fill(`>${title}`);
  // The palette lists the commands known when it opened; early in startup ours may not be
  // registered yet, so a miss means: close, reopen, look again.
  const label = page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) });
  const row = widget.locator('.quick-input-list .monaco-list-row').filter({ has: label }).first();
  await row.waitFor({ state: 'visible', timeout: waitMs }).catch(async (e) => {
    const seen = await widget.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
    throw new Error(`"${title}" not among the palette's rows [${seen.slice(0, 5).join(' | ')}]: ${(e as Error).message.split('\n')[0]}`);
  });
  await row.click({ timeout: 3_000 });
  await paletteClosed(widget, input, 10_000);
}

/**
 * The palette is done once it hides, or once the same quick-input widget shows something other
 * than a `>` command query: a command that opens its own quick pick reuses the widget, and under
 * load that pick can appear before a poll for "hidden" ever sees the palette gone.
 */
async function paletteClosed(widget: Locator, input: Locator, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!(await widget.isVisible())) return;
    const value = await input.inputValue({ timeout: 1_000 }).catch(() => '');
    if (!value.startsWith('>')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the command palette stayed open for ${timeoutMs / 1000} s after the click`);
}

async function openFileOnce(page: Page, path: string, waitMs: number): Promise<void> {
  const name = basename(path);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 5_000 });
  await input.fill(path);
  // The file index may still be loading right after startup: a miss means reopen and look again.
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: waitMs });
  await input.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 10_000 });
}

/** Repeats `once` with growing waits until it succeeds or PALETTE_TIMEOUT_MS has passed. */
async function retrying(what: string, once: (waitMs: number) => Promise<void>): Promise<void> {
  const deadline = Date.now() + PALETTE_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(Math.min(1_000 * attempt, 5_000));
    } catch (e) {
      // Early in startup the command or file may not be known yet, or a panel took focus: try again.
      if (process.env.LOOPLENS_E2E_DEBUG) console.error(`attempt ${attempt} to ${what}: ${(e as Error).message}`);
      if (Date.now() > deadline) throw new Error(`could not ${what} in ${attempt} attempts: ${(e as Error).message}`, { cause: e });
    }
  }
}

export async function startVsCode(options: VsCodeOptions = {}): Promise<VsCode> {
  const server = await startCodeServer({
    entry: required('LOOPLENS_CODE_SERVER'),
    vsix: required('LOOPLENS_VSIX'),
    settings: options.settings,
    workspaceFiles: options.workspaceFiles,
  });
  let browser: Browser | undefined;
  const close = async (saveLogsTo?: string) => {
    await browser?.close().catch(() => undefined);
    browser = undefined;
    await server.stop(saveLogsTo);
  };
  try {
    browser = await chromium.launch({
      executablePath: process.env.LOOPLENS_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(server.workspace)}`, { timeout: 30_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });

    const vs: VsCode = {
      page,
      server,
      runCommand: (title) => retrying(`run "${title}" from the command palette`, (waitMs) => runCommandOnce(page, title, waitMs)),
      openFile: (path) => retrying(`open ${path} with Quick Open`, (waitMs) => openFileOnce(page, path, waitMs)),
      webviewFrame: (nth) => {
        const outer = page.locator('iframe.webview.ready');
        return (nth === undefined ? outer : outer.nth(nth)).contentFrame().locator('#active-frame').contentFrame();
      },
      notification: (text) => page.locator('.notification-toast', { hasText: text }),
      async screenshot(name) {
        const path = join(artifactsDir(), `${name}.png`);
        await page.screenshot({ path, timeout: 10_000 });
        return path;
      },
      logs: (fileName) => readLogs(join(server.userDataDir, 'logs'), fileName),
      closeAllEditors: () => vs.runCommand('View: Close All Editors'),
      close,
    };
    return vs;
  } catch (e) {
    const tail = server.outputTail();
    await close();
    throw new Error(`${(e as Error).message}\ncode-server output:\n${tail}`, { cause: e });
  }
}

/** Waits until the locator's text contains `expected` (bounded); the error shows the last text seen. */
export async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let seen: string | null = null;
  for (;;) {
    seen = await locator.first().textContent({ timeout: Math.max(1, Math.min(2_000, deadline - Date.now())) }).catch(() => seen);
    if (seen !== null && (typeof expected === 'string' ? seen.includes(expected) : expected.test(seen))) return seen;
    if (Date.now() > deadline) throw new Error(`expected text ${String(expected)} within ${timeoutMs / 1000} s; last seen: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
