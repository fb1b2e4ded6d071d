// Bundles the entry points with esbuild:
//   dist/extension.js  the VS Code extension host code (Node, CommonJS)
//   dist/cli.js        the `looplens` command line (Node, CommonJS)
//   dist/*-worker.js   the child processes that train, evaluate and time runs, and the worker
//                      threads of data-parallel training steps and pooled evaluation (Node, CommonJS)
//   media/dist/*.js    the webview scripts (browser, IIFE)
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info' };
const nodeExternals = ['vscode', 'onnxruntime-node'];

const webviewEntries = existsSync('webview')
  ? Object.fromEntries(readdirSync('webview').filter((f) => /^[a-zA-Z]+\.entry\.ts$/.test(f)).map((f) => [f.replace('.entry.ts', ''), `webview/${f}`]))
  : {};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { ...common, entryPoints: ['src/core/train/worker.ts'].filter(existsSync), outdir: 'dist', entryNames: 'train-worker', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { ...common, entryPoints: ['src/core/train/gradientWorker.ts'].filter(existsSync), outdir: 'dist', entryNames: 'gradient-worker', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { ...common, entryPoints: ['src/core/infer/sessionWorker.ts'].filter(existsSync), outdir: 'dist', entryNames: 'session-worker', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { ...common, entryPoints: ['src/extension/evaluate/evalWorker.ts'].filter(existsSync), outdir: 'dist', entryNames: 'eval-worker', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { ...common, entryPoints: ['src/extension/train/estimateWorker.ts'].filter(existsSync), outdir: 'dist', entryNames: 'estimate-worker', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { ...common, entryPoints: webviewEntries, outdir: 'media/dist', platform: 'browser', format: 'iife', target: 'es2022' },
].filter((b) => Object.keys(b.entryPoints).length > 0);

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
