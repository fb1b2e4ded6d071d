// The files probe:recipes keeps per variant in --out, and reading what an earlier run left there.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseRecordedArgs, type RecordedArgs, type VariantFiles } from './probeResume';

export interface VariantPaths {
  model: string;
  checkpoint: string;
  trainLog: string;
  evalLog: string;
  args: string;
}

export function variantPaths(dir: string, name: string): VariantPaths {
  const at = (ext: string) => path.join(dir, `${name}${ext}`);
  // the checkpoint is where `looplens train` puts it by default: the model path with .ckpt
  return { model: at('.onnx'), checkpoint: at('.ckpt'), trainLog: at('.train.log'), evalLog: at('.eval.log'), args: at('.args.json') };
}

export function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export function readVariantFiles(p: VariantPaths): VariantFiles {
  const args = readText(p.args);
  return { model: existsSync(p.model), checkpoint: existsSync(p.checkpoint), trainLog: readText(p.trainLog), recorded: args === null ? null : parseRecordedArgs(args) };
}

export function writeRecordedArgs(p: VariantPaths, recorded: RecordedArgs): void {
  writeFileSync(p.args, JSON.stringify(recorded, null, 2) + '\n');
}
