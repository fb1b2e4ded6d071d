// Runs the end-to-end tests in a real VS Code:
//   1. installs their prerequisites (Debian packages, code-server) unless already cached,
//   2. packages LoopLens as a .vsix (`npm run package`),
//   3. runs test/e2e/**/*.e2e.ts with node's test runner; each file gets a fresh code-server.
// Usage: node scripts/e2e/run-e2e.mjs [substring-filter ...]
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { ensureE2ePrerequisites } from '../install-e2e.mjs';

// Hard bound for the test run itself (LOOPLENS_E2E_TIMEOUT_S overrides); each test has its own, smaller one.
const OVERALL_TIMEOUT_MS = Number(process.env.LOOPLENS_E2E_TIMEOUT_S ?? 15 * 60) * 1000;
const root = resolve(import.meta.dirname, '..', '..');
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? find(p) : p.endsWith('.e2e.ts') ? [p] : [];
  });
}

const started = Date.now();
const filters = process.argv.slice(2);
const files = find(join(root, 'test', 'e2e')).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('run-e2e: no test/e2e/**/*.e2e.ts file matched');
  process.exit(1);
}

let t = Date.now();
const paths = ensureE2ePrerequisites();
console.log(`e2e: prerequisites ready in ${seconds(t)}`);

t = Date.now();
const vsix = join(root, 'looplens.vsix');
const pack = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (pack.status !== 0 || !existsSync(vsix)) {
  console.error(`${pack.stdout}\n${pack.stderr}\nrun-e2e: \`npm run package\` failed (output above)`);
  process.exit(1);
}
console.log(`e2e: packaged ${vsix} (${(statSync(vsix).size / 1e6).toFixed(1)} MB) in ${seconds(t)}`);

t = Date.now();
const artifacts = join(root, '.artifacts', 'e2e');
// A private copy: another run packaging at the same time must not change the file under our tests.
const runDir = mkdtempSync(join(tmpdir(), 'looplens-e2e-run-'));
const runVsix = join(runDir, 'looplens.vsix');
copyFileSync(vsix, runVsix);
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
  detached: true, // its own process group, so a timeout stops every test process
  env: {
    ...process.env,
    LOOPLENS_CODE_SERVER: paths.codeServer,
    LOOPLENS_CHROMIUM: paths.chromium,
    LOOPLENS_VSIX: runVsix,
    LOOPLENS_ARTIFACTS: artifacts,
  },
});
const killer = setTimeout(() => {
  console.error(`run-e2e: tests still running after ${OVERALL_TIMEOUT_MS / 1000} s; stopping them`);
  stopTests('SIGTERM'); // each test process then stops its code-server
  setTimeout(() => stopTests('SIGKILL'), 10_000).unref();
}, OVERALL_TIMEOUT_MS);
function stopTests(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
// Ctrl+C reaches only the foreground group; pass it on to the detached test group.
process.on('SIGINT', () => stopTests('SIGINT'));
process.on('SIGTERM', () => stopTests('SIGTERM'));
child.on('exit', (code, signal) => {
  clearTimeout(killer);
  rmSync(runDir, { recursive: true, force: true });
  console.log(`e2e: tests ran in ${seconds(t)}; whole e2e step ${seconds(started)}; screenshots in .artifacts/e2e/`);
  process.exit(code ?? (signal ? 1 : 0));
});
