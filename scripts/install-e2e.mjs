// Installs what the end-to-end tests need. None of it is a dependency of the extension:
//   - Debian packages: chromium (the browser playwright-core drives), a font, and what
//     code-server's native modules build with (libkrb5-dev, build-essential, pkg-config, python3);
//   - code-server (VS Code in a browser, from the npm registry) in .cache/code-server-VERSION.
// Idempotent and cached by version: a second run only checks, in about a second.
// Usage: node scripts/install-e2e.mjs          (prints the paths the tests use as JSON on the last line)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The last code-server whose engines accept Node 20 (it ships VS Code 1.100.3). */
export const CODE_SERVER_VERSION = '4.100.3';
/** @vscode/ripgrep's postinstall downloads rg from GitHub unless this archive is already in its cache. */
const RIPGREP_CACHE = { dir: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };
const APT_PACKAGES = ['chromium', 'fonts-liberation', 'ripgrep', 'libkrb5-dev', 'build-essential', 'pkg-config', 'python3'];
export const CHROMIUM = '/usr/bin/chromium';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, '.cache');

export function codeServerPaths(version = CODE_SERVER_VERSION) {
  const dir = join(cacheDir, `code-server-${version}`);
  return { dir, entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'), marker: join(dir, '.installed') };
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
}

function installSystemPackages() {
  run('bash', [join(root, 'scripts', 'install-system-packages.sh'), ...APT_PACKAGES]);
}

function seedRipgrepCache(tmpDir) {
  const dir = join(tmpDir, RIPGREP_CACHE.dir);
  const archive = join(dir, RIPGREP_CACHE.file);
  if (existsSync(archive)) return;
  mkdirSync(dir, { recursive: true });
  // The archive must hold a top-level `rg`; Debian's ripgrep serves.
  run('tar', ['-czf', archive, '-C', '/usr/bin', 'rg']);
}

function codeServerWorks(entry) {
  const r = spawnSync(process.execPath, [entry, '--version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 && r.stdout.includes(CODE_SERVER_VERSION);
}

function installCodeServer() {
  const { dir, entry, marker } = codeServerPaths();
  if (existsSync(marker) && existsSync(entry)) {
    console.log(`code-server ${CODE_SERVER_VERSION}: cached in ${dir}`);
    return entry;
  }
  const started = Date.now();
  console.log(`code-server ${CODE_SERVER_VERSION}: installing into ${dir} (about a minute)`);
  rmSync(dir, { recursive: true, force: true }); // a half-finished earlier attempt
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'looplens-e2e-code-server', private: true }, null, 2) + '\n');
  const tmpDir = join(cacheDir, 'tmp');
  seedRipgrepCache(tmpDir);
  const env = {
    ...process.env,
    TMPDIR: tmpDir, // where @vscode/ripgrep looks for its seeded cache
    npm_config_nodedir: '/usr', // Node's headers ship in /usr/include/node: node-gyp downloads nothing
    npm_config_yes: 'true', // node-pty's postinstall runs npx
    npm_config_unsafe_perm: 'true', // install scripts also run as root
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  if (!codeServerWorks(entry)) throw new Error(`code-server was installed into ${dir} but \`${entry} --version\` does not report ${CODE_SERVER_VERSION}`);
  writeFileSync(marker, `${CODE_SERVER_VERSION}\n`);
  console.log(`code-server ${CODE_SERVER_VERSION}: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return entry;
}

/** Installs (or finds) everything; returns the paths the e2e harness needs. */
export function ensureE2ePrerequisites() {
  installSystemPackages();
  const codeServer = installCodeServer();
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing although the chromium package is installed`);
  return { codeServer, chromium: CHROMIUM, codeServerVersion: CODE_SERVER_VERSION };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(JSON.stringify(ensureE2ePrerequisites()));
  } catch (e) {
    console.error(`install-e2e: ${e.message}`);
    process.exit(1);
  }
}

