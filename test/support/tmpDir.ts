// Temporary folders for tests: each call makes a new one, and all are removed after the test
// file's tests have run (node --test runs each file in its own process).
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** `prefix` names the folder after its test file, so a leftover one says where it came from. */
export function tmpDir(prefix = 'looplens-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}
