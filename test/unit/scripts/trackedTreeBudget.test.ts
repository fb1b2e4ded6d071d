// Every device call carries the whole working tree beside the CUDA bundle's pieces (scripts/cuda/pack.mjs),
// and committed run files grow it. This keeps the tracked files well inside one call, and when they are
// not, names the largest run files to drop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MiB = 1024 * 1024;
/** The packer, whose CALL_LIMIT_BYTES is one device call (a URL: an untyped module, read as such). */
const PACK = pathToFileURL(resolve('scripts/cuda/pack.mjs')).href;
/** What a call must keep for the bundle's pieces, or packing needs a call for every few MiB of the bundle. */
const ROOM_FOR_PIECES_BYTES = 12 * MiB;

test('the tracked files leave room for the CUDA bundle in one device call', async () => {
  const { CALL_LIMIT_BYTES } = (await import(PACK)) as { CALL_LIMIT_BYTES: number };
  assert.ok(Number.isInteger(CALL_LIMIT_BYTES) && CALL_LIMIT_BYTES > 0, 'pack.mjs says how large one call is');
  const files = execFileSync('git', ['ls-files', '-z', '--cached'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  const sized = files.flatMap((f) => {
    try {
      const st = statSync(f);
      return st.isFile() ? [{ f, bytes: st.size }] : [];
    } catch {
      return []; // deleted in this working copy
    }
  });
  const total = sized.reduce((s, x) => s + x.bytes, 0);
  const largestRuns = sized
    .filter((x) => x.f.startsWith('runs/'))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5)
    .map((x) => `${x.f} (${(x.bytes / MiB).toFixed(1)} MiB)`);
  assert.ok(
    total <= CALL_LIMIT_BYTES - ROOM_FOR_PIECES_BYTES,
    `the tracked files take ${(total / MiB).toFixed(1)} MiB of a ${CALL_LIMIT_BYTES / MiB} MiB device call, ` +
      `leaving under ${ROOM_FOR_PIECES_BYTES / MiB} MiB for the CUDA bundle: drop finished runs' files, largest first: ${largestRuns.join(', ')}`,
  );
});
