// The e2e tests' entry point. A test file is a list of `vsCodeTest(name, async (vs) => …)` calls;
// they share one fresh VS Code per file (started by the first test, closed after the last).
// On failure the harness saves a screenshot and code-server's logs under .artifacts/e2e/.
import { after, test } from 'node:test';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { artifactsDir, startVsCode, type VsCode, type VsCodeOptions } from './vscode';

export { waitForText, type VsCode } from './vscode';

let options: VsCodeOptions = {};
let session: Promise<VsCode> | undefined;
let testsRun = 0;
let failed = false;
let cleanupRegistered = false;

/** Settings or workspace files for this file's VS Code; call before the first vsCodeTest. */
export function configureVsCode(o: VsCodeOptions): void {
  if (session) throw new Error('configureVsCode must be called before the first test starts VS Code');
  options = o;
}

function logsDir(): string {
  return join(artifactsDir(), `logs-${basename(process.argv[1] ?? 'e2e', '.ts')}`);
}

function slug(name: string): string {
  return name.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

export function vsCodeTest(name: string, fn: (vs: VsCode) => Promise<void>, { timeoutMs = 120_000 } = {}): void {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    rmSync(logsDir(), { recursive: true, force: true }); // from an earlier run of this file
    after(async () => {
      const vs = await session?.catch(() => undefined);
      await vs?.close(failed ? logsDir() : undefined);
    });
  }
  test(name, { timeout: timeoutMs }, async () => {
    const failureShot = `FAILED-${slug(name)}`;
    rmSync(join(artifactsDir(), `${failureShot}.png`), { force: true }); // from an earlier run
    let vs: VsCode | undefined;
    try {
      vs = await (session ??= startVsCode(options));
      if (testsRun++ > 0) await vs.closeAllEditors(); // each test starts from an empty editor area
      await fn(vs);
    } catch (e) {
      failed = true;
      const shot = await vs?.screenshot(failureShot).catch(() => undefined);
      if (shot) console.error(`screenshot of the failure: ${shot}`);
      throw e;
    }
  });
}
