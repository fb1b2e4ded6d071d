// Rewrites model files written before the integrity checksum (src/core/model/modelIntegrity.ts)
// from their own weights, config and metadata: the weights are checked against their CRC-32, the
// metadata against the schema, the graph is rebuilt from the config and the checksum added. The
// training record, creation time and every other metadata key are kept, so the model answers
// exactly as before. Default: the shipped models/*.onnx.
//   node --import tsx scripts/upgrade-models.ts [FILE.onnx ...] [--check]
// --check only reports which files still need it (exit 1 if any).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseModel, upgradeModelFile, LoopLensModelError } from '../src/core/model/modelFile';

const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const given = args.filter((a) => a !== '--check');
const modelsDir = path.join(__dirname, '..', 'models');
const files = given.length > 0 ? given : fs.readdirSync(modelsDir).filter((f) => f.endsWith('.onnx')).sort().map((f) => path.join(modelsDir, f));

async function main(): Promise<void> {
  let pending = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    let signed = false;
    try {
      parseModel(fs.readFileSync(file), shown);
      signed = true;
    } catch (e) {
      if (!(e instanceof LoopLensModelError) || !/no integrity checksum/.test(e.message)) {
        console.error(`${shown}: ${(e as Error).message}`);
        process.exitCode = 1;
        continue;
      }
    }
    if (signed) {
      console.log(`${shown}: has its integrity checksum already`);
      continue;
    }
    pending++;
    if (checkOnly) {
      console.log(`${shown}: needs the upgrade`);
      continue;
    }
    const before = fs.statSync(file).size;
    const r = await upgradeModelFile(file);
    console.log(`${shown}: upgraded (${before} → ${r.bytes.length} bytes; ${r.model.task.name}, trained ${r.model.metadata.training.stepsCompleted} steps; ${r.model.metadata.checksum})`);
  }
  if (checkOnly && pending > 0) process.exitCode = 1;
}

void main();
