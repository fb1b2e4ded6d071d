// The worker threads as the tests run them: worker threads cannot load TypeScript, so a worker's
// bundle is built here as scripts/build.mjs builds it, into dist/, where the CLI run from the
// sources finds it too.
import { buildSync } from 'esbuild';
import { join } from 'node:path';

const built = new Map<string, string>();

function workerBundle(entry: string, name: string): string {
  const had = built.get(name);
  if (had) return had;
  const root = join(__dirname, '..', '..');
  const outfile = join(root, 'dist', name);
  buildSync({ entryPoints: [join(root, entry)], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['onnxruntime-node'], logLevel: 'error' });
  built.set(name, outfile);
  return outfile;
}

export function gradientWorkerScript(): string {
  return workerBundle('src/core/train/gradientWorker.ts', 'gradient-worker.js');
}

export function sessionWorkerScript(): string {
  return workerBundle('src/core/infer/sessionWorker.ts', 'session-worker.js');
}
