// How long reading LoopLens's files takes: parsing a model file (what opening it, the Models view's
// summary and every evaluation start with) and decoding a training checkpoint, both checked end to
// end, and the CRC-32 over the same bytes by zlib (what LoopLens uses where Node has it) and by the
// table loop (the fallback), since the checksums were most of a large file's read.
// Figures are CPU time, which other processes disturb less than wall time; the load average is printed.
// Usage: npm run bench:files [-- --repeat 9] [FILE.onnx|FILE.ckpt ...]   (default: models/*.onnx)
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseModel } from '../src/core/model/modelFile';
import { decodeCheckpoint } from '../src/core/train/checkpoint';
import { crc32, crc32Loop } from '../src/core/util/crc32';
import { loadavg, median, positiveInt } from './support/benchArgs';

const repeat = positiveInt('repeat', '9');
const given = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--repeat');
const models = path.resolve(__dirname, '..', 'models');
const files = given.length > 0 ? given : readdirSync(models).filter((f) => f.endsWith('.onnx')).map((f) => path.join(models, f));

/** Median CPU milliseconds of `repeat` runs of `fn` (CPU time: what other processes take does not count). */
function timed(fn: () => unknown): number {
  const ms: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    ms.push((used.user + used.system) / 1000);
  }
  return median(ms);
}

const readers = files.map((file) => {
  const bytes = readFileSync(file);
  return { file, bytes, read: file.endsWith('.ckpt') ? () => decodeCheckpoint(bytes, file) : () => parseModel(bytes, file) };
});
// every kind of work once over every file first, so that no figure carries the JIT's warm-up
for (const { bytes, read } of readers) for (const f of [read, () => crc32(bytes), () => crc32Loop(bytes)]) for (let i = 0; i < 3; i++) f();

console.log(`load average before: ${loadavg()}; median CPU time of ${repeat} runs each, one thread`);
console.log(`${'file'.padEnd(52)}      size    read (checked)  CRC-32 zlib  CRC-32 loop`);
for (const { file, bytes, read } of readers) {
  const cells = [
    path.relative(process.cwd(), file).padEnd(52),
    `${(bytes.length / 1024 / 1024).toFixed(2)} MB`.padStart(8),
    `${timed(read).toFixed(1)} ms`.padStart(16),
    `${timed(() => crc32(bytes)).toFixed(1)} ms`.padStart(12),
    `${timed(() => crc32Loop(bytes)).toFixed(1)} ms`.padStart(12),
  ];
  console.log(cells.join('  '));
}
console.log(`load average after: ${loadavg()}`);
