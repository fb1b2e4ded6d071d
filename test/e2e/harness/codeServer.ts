// Starts a fresh, isolated code-server (VS Code in a browser) on 127.0.0.1 with LoopLens installed.
// Everything it writes (HOME, XDG dirs, user data, extensions, workspace) lives in one temp folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface CodeServerOptions {
  /** code-server's entry script (out/node/entry.js). */
  entry: string;
  /** The .vsix to install before start. */
  vsix: string;
  /** User settings merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Files to create in the workspace folder, path relative to it → content. */
  workspaceFiles?: Record<string, string>;
}

export interface CodeServer {
  url: string;
  workspace: string;
  userDataDir: string;
  /** Last lines code-server printed, for failure reports. */
  outputTail(): string;
  /** Stops the server and its children, then deletes its temp folder (copying its logs to `saveLogsTo` first, if given). */
  stop(saveLogsTo?: string): Promise<void>;
}

/** Settings that keep startup panels, tips and update checks from stealing focus or the network. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

const HEALTH_TIMEOUT_MS = 30_000;
const INSTALL_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Servers still running at exit are killed with their whole group and their folders deleted, even after a crash. */
const liveGroups = new Set<number>();
const liveRoots = new Set<string>();
function cleanUpAll(): void {
  liveGroups.forEach((pid) => killGroup(pid, 'SIGKILL'));
  liveRoots.forEach((root) => rmSync(root, { recursive: true, force: true }));
}
process.on('exit', cleanUpAll);
// Interrupted (Ctrl+C, or the run's overall time limit): 'exit' handlers do not run on a signal by default.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    cleanUpAll();
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, outputTail: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before answering:\n${outputTail()}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s:\n${outputTail()}`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const root = mkdtempSync(join(tmpdir(), 'looplens-e2e-'));
  liveRoots.add(root);
  const dirs = {
    home: join(root, 'home'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
  };
  const runtimeDir = join(dirs.home, '.run'); // IPC sockets; must exist and be private
  [...Object.values(dirs), runtimeDir].forEach((d) => mkdirSync(d, { recursive: true, mode: 0o700 }));
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
  for (const [path, content] of Object.entries(options.workspaceFiles ?? {})) {
    mkdirSync(dirname(join(dirs.workspace, path)), { recursive: true });
    writeFileSync(join(dirs.workspace, path), content);
  }
  // code-server writes to ~/.config and ~/.local otherwise.
  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    XDG_RUNTIME_DIR: runtimeDir,
  };
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  const install = spawnSync(process.execPath, [options.entry, ...common, '--install-extension', options.vsix], {
    env,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (install.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    liveRoots.delete(root);
    throw new Error(`installing ${options.vsix} into code-server failed (exit ${install.status ?? install.signal}):\n${install.stdout}\n${install.stderr}`);
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = join(root, 'code-server.log');
  const log = createWriteStream(logFile);
  let tail = '';
  const child = spawn(
    process.execPath,
    [options.entry, '--config', configFile, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ...common,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', dirs.workspace],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  liveGroups.add(child.pid!);
  const record = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on('data', record);
  child.stderr!.on('data', record);
  const outputTail = () => tail;

  const stop = async (saveLogsTo?: string) => {
    if (child.pid !== undefined && liveGroups.has(child.pid)) {
      killGroup(child.pid, 'SIGTERM');
      if (!(await waitForExit(child, 5_000))) killGroup(child.pid, 'SIGKILL');
      await waitForExit(child, 2_000);
      liveGroups.delete(child.pid);
    }
    await new Promise<void>((r) => log.end(() => r()));
    if (saveLogsTo) {
      mkdirSync(saveLogsTo, { recursive: true });
      cpSync(logFile, join(saveLogsTo, 'code-server.log'));
      if (existsSync(join(dirs.userData, 'logs'))) cpSync(join(dirs.userData, 'logs'), join(saveLogsTo, 'logs'), { recursive: true });
    }
    rmSync(root, { recursive: true, force: true });
    liveRoots.delete(root);
  };

  try {
    await waitForHealth(url, child, outputTail);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, workspace: dirs.workspace, userDataDir: dirs.userData, outputTail, stop };
}
