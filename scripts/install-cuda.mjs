// Installs ONNX Runtime's CUDA execution provider next to onnxruntime-node 1.29.0's CPU build
// (the plain `npm install` skips it, see .npmrc). Two sources, both exactly ORT 1.29.0:
//   cuda12  the official route: onnxruntime-node's own install script downloads
//           Microsoft.ML.OnnxRuntime.Gpu.Linux from NuGet (needs api.nuget.org; CUDA 12 + cuDNN 9);
//   cuda13  the npm registry: com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9 carries the same
//           version built for CUDA 13 (179 MB download; needs CUDA 13, driver 580 or later).
// Without a choice: cuda12 when NuGet answers, cuda13 otherwise.
// Usage: node scripts/install-cuda.mjs [--cuda12 | --cuda13] [--dest ONNXRUNTIME_NODE_DIR] [--dry-run]
//   --dest     the onnxruntime-node folder to install into (default: this project's), e.g. the one
//              inside an installed extension: ~/.vscode/extensions/looplens.looplens-0.1.0/node_modules/onnxruntime-node
//   --dry-run  print what would be done; download and copy nothing
/* global fetch, AbortSignal */ // Node 20 globals the lint config does not list
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ORT_VERSION = '1.29.0';
const NPM_CUDA13_PACKAGE = 'com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9';
const NUGET_INDEX = 'https://api.nuget.org/v3/index.json';
const PROVIDER_LIBS = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];
/** Libraries each provider build links (readelf NEEDED); the loader must find them at run time. */
const CUDA_LIBS = {
  cuda12: ['libcuda.so.1', 'libcudart.so.12', 'libcublas.so.12', 'libcublasLt.so.12', 'libcurand.so.10', 'libcufft.so.11', 'libcudnn.so.9'],
  cuda13: ['libcuda.so.1', 'libcudart.so.13', 'libcublas.so.13', 'libcublasLt.so.13', 'libcurand.so.10'],
};
const CUDA_NEEDS = { cuda12: 'CUDA 12 and cuDNN 9', cuda13: 'CUDA 13 (driver 580 or later)' };
const USAGE = 'usage: npm run install:cuda -- [--cuda12 | --cuda13] [--dest ONNXRUNTIME_NODE_DIR] [--dry-run]';

class UsageError extends Error {}

export function parseArgs(argv) {
  const options = { variant: 'auto', dest: undefined, dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cuda12' || arg === '--cuda13') {
      if (options.variant !== 'auto') throw new UsageError('choose one of --cuda12 and --cuda13');
      options.variant = arg.slice(2);
    } else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--dest' || arg.startsWith('--dest=')) {
      const value = arg === '--dest' ? argv[++i] : arg.slice('--dest='.length);
      if (!value || value.startsWith('--')) throw new UsageError('--dest needs the path of an onnxruntime-node folder');
      options.dest = resolve(value);
    } else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  return options;
}

function projectOrtDir() {
  const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'));
  try {
    return dirname(require.resolve('onnxruntime-node/package.json'));
  } catch {
    throw new Error('onnxruntime-node is not installed in this project: run `npm install` first');
  }
}

/** Checks that `dir` is onnxruntime-node of the version the provider was built for; returns its native folder. */
export function nativeDirOf(dir) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) throw new Error(`${dir} is not an onnxruntime-node folder (no package.json)`);
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  if (pkg.name !== 'onnxruntime-node') throw new Error(`${dir} holds ${pkg.name}, not onnxruntime-node`);
  if (pkg.version !== ORT_VERSION) {
    throw new Error(`${dir} holds onnxruntime-node ${pkg.version}; these CUDA providers are built for ${ORT_VERSION} and must match it exactly`);
  }
  return join(dir, 'bin', 'napi-v6', 'linux', 'x64');
}

async function nugetReachable() {
  try {
    const res = await fetch(NUGET_INDEX, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return res.ok;
  } catch {
    return false;
  }
}

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
}

function findFile(dir, name) {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    } else if (entry === name) return p;
  }
  return undefined;
}

function installCuda12(ortDir) {
  // onnxruntime-node's own script knows NuGet's layout; the flag overrides the project's "skip".
  run(process.execPath, [join(ortDir, 'script', 'install.js'), '--onnxruntime-node-install=cuda12'], {
    cwd: ortDir,
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12', npm_config_onnxruntime_node_install: 'cuda12' },
  });
}

function installCuda13(nativeDir) {
  const work = mkdtempSync(join(tmpdir(), 'looplens-cuda-'));
  try {
    console.log(`downloading ${NPM_CUDA13_PACKAGE} from the npm registry (179 MB)…`);
    run('npm', ['pack', NPM_CUDA13_PACKAGE, '--pack-destination', work, '--silent'], { cwd: work });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${NPM_CUDA13_PACKAGE} produced no tarball`);
    run('tar', ['-xzf', join(work, tarball), '-C', work]);
    for (const lib of PROVIDER_LIBS) {
      const found = findFile(join(work, 'package'), lib);
      if (!found) throw new Error(`${NPM_CUDA13_PACKAGE} does not contain ${lib}`);
      copyFileSync(found, join(nativeDir, lib));
      console.log(`installed ${join(nativeDir, lib)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Names of the CUDA libraries the provider links that the dynamic loader cannot find. */
function missingCudaLibraries(variant) {
  const r = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  const known = `${r.stdout ?? ''}\n${process.env.LD_LIBRARY_PATH ?? ''}`;
  const inLdPath = (lib) => (process.env.LD_LIBRARY_PATH ?? '').split(':').some((d) => d && existsSync(join(d, lib)));
  return CUDA_LIBS[variant].filter((lib) => !known.includes(lib) && !inLdPath(lib));
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`these CUDA provider builds are for linux-x64; this machine is ${process.platform}-${process.arch}`);
  }
  const ortDir = options.dest ?? projectOrtDir();
  const nativeDir = nativeDirOf(ortDir);

  let variant = options.variant;
  const nuget = variant === 'cuda13' ? false : await nugetReachable();
  if (variant === 'auto') variant = nuget ? 'cuda12' : 'cuda13';
  if (variant === 'cuda12' && !nuget) {
    throw new Error(`${NUGET_INDEX} is not reachable, so the official CUDA 12 provider cannot be downloaded; use --cuda13 for the npm-registry build (needs CUDA 13)`);
  }
  const source = variant === 'cuda12' ? 'NuGet (Microsoft.ML.OnnxRuntime.Gpu.Linux, official)' : `the npm registry (${NPM_CUDA13_PACKAGE})`;
  console.log(`CUDA provider for ONNX Runtime ${ORT_VERSION}: ${variant} from ${source}`);
  console.log(`into ${nativeDir}`);
  if (options.dryRun) {
    console.log('dry run: nothing downloaded or copied');
    return;
  }

  if (variant === 'cuda12') installCuda12(ortDir);
  else installCuda13(nativeDir);
  const absent = PROVIDER_LIBS.filter((lib) => !existsSync(join(nativeDir, lib)));
  if (absent.length > 0) throw new Error(`the install finished but ${absent.join(', ')} is missing in ${nativeDir}`);

  const missing = missingCudaLibraries(variant);
  if (missing.length > 0) {
    console.warn(`note: the loader does not find ${missing.join(', ')}; install ${CUDA_NEEDS[variant]} or add their folder to LD_LIBRARY_PATH, else LoopLens falls back to the CPU ("auto") or stops with an explanation ("cuda").`);
  }
  console.log('done: set looplens.executionProvider to "cuda" (or keep "auto") to use it.');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`install:cuda: ${e.message}`);
    if (e instanceof UsageError) console.error(USAGE);
    process.exit(1);
  });
}
