// npm run probe:recipes end to end on a tiny task (about 10 s on 2 busy cores): run twice, the second
// run reuses both finished variants, model files and evaluations included, and prints the same table;
// with --seeds, each variant trains once per seed and the seed spread follows the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.join('dist', 'cli.js');

function probe(out: string, variants = ['--variant', 'h4=--heads 4', '--variant', 'lr3e-3=--lr 3e-3']): string {
  const args = ['--task', 'parity', '--base', '--preset tiny --steps 60 --max-length 4', ...variants, '--lengths', '4,6', '--every', '20', '--examples', '64', '--out', out];
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('scripts', 'probe-recipes.ts'), ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const tableOf = (stdout: string) => stdout.slice(stdout.indexOf('| variant'));

test('a second run of the same command retrains nothing', { skip: !fs.existsSync(CLI) && 'dist/cli.js is missing: npm run build', timeout: 180_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-recipes-'));
  try {
    const first = probe(out);
    assert.match(first, /^ {2}started h4: --heads 4$/m);
    assert.match(first, /^ {2}started lr3e-3: --lr 3e-3$/m);
    assert.match(tableOf(first), /^\| h4 \| `--heads 4` \| [\d.]+ min \| [\d.]+ \/ [\d.]+% \| [\d.]+ \/ [\d.]+% \| \d+, \d+, \d+ \|$/m);
    const model = path.join(out, 'h4.onnx');
    const written = fs.statSync(model).mtimeMs;
    for (const f of ['h4.args.json', 'h4.train.log', 'h4.eval.log', 'h4.ckpt', 'lr3e-3.onnx']) assert.ok(fs.existsSync(path.join(out, f)), f);

    const second = probe(out);
    assert.doesNotMatch(second, /started|resuming/);
    assert.match(second, /^from an earlier run in .*: reusing h4, lr3e-3 \(--fresh starts over\)$/m);
    assert.match(second, /^ {2}reusing h4: trained earlier with the same arguments, and evaluated$/m);
    assert.equal(fs.statSync(model).mtimeMs, written, 'the model was not written again');
    assert.equal(tableOf(second), tableOf(first));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('--seeds trains a variant once per seed, with that seed, and prints its spread', { skip: !fs.existsSync(CLI) && 'dist/cli.js is missing: npm run build', timeout: 180_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-seeds-'));
  try {
    const stdout = probe(out, ['--variant', 'h4=--heads 4', '--seeds', '0,3']);
    assert.match(stdout, /^ {2}started h4-s0: --heads 4 --seed 0$/m);
    assert.match(stdout, /^ {2}started h4-s3: --heads 4 --seed 3$/m);
    for (const seed of [0, 3]) assert.match(fs.readFileSync(path.join(out, `h4-s${seed}.train.log`), 'utf8'), new RegExp(`^training parity .*, seed ${seed}$`, 'm'));
    assert.match(stdout, /the seed spread of each variant, oracle:\n\n\| variant \| seeds \| oracle at n = 4 \| oracle at n = 6 \|\n\| --- \| --- \| --- \| --- \|\n\| h4 \| 0, 3 \| [\d.]+-[\d.]+% \(mean [\d.]+\) \| [\d.]+-[\d.]+% \(mean [\d.]+\) \|$/m);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
