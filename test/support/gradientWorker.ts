// The gradient worker as the tests run it: worker threads cannot load TypeScript, so its bundle is
// built here as scripts/build.mjs builds it, into dist/gradient-worker.js, where the CLI run from
// the sources finds it too.
import { buildSync } from 'esbuild';
import { join } from 'node:path';

let built: string | undefined;

export function gradientWorkerScript(): string {
  if (built) return built;
  const root = join(__dirname, '..', '..');
  const outfile = join(root, 'dist', 'gradient-worker.js');
  buildSync({ entryPoints: [join(root, 'src', 'core', 'train', 'gradientWorker.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['onnxruntime-node'], logLevel: 'error' });
  built = outfile;
  return outfile;
}
