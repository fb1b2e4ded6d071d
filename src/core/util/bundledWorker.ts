// Where a worker bundle (dist/<name>) is for code running from `dir`: beside it in a bundle (dist/),
// or the checkout's dist/ when running from the sources (src/<area>/<folder>, as tests and tsx do).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The places looked in, in order. */
function bundledWorkerPlaces(dir: string, name: string): string[] {
  return [join(dir, name), join(dir, '..', '..', '..', 'dist', name)];
}

/** The bundled worker `name` (e.g. 'gradient-worker.js'); throws, saying what to run, when it is not built. */
export function bundledWorker(dir: string, name: string, what: string): string {
  const places = bundledWorkerPlaces(dir, name);
  const found = places.find((f) => existsSync(f));
  if (found === undefined) throw new Error(`${what} needs the bundled worker (${places.join(' or ')}): run \`npm run build\` first`);
  return found;
}
