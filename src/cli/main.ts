// The `looplens` command line. Subcommands arrive with the training, evaluation and RASP-L features.
import { onnxRuntimeVersion } from '../core/infer/executionProvider';

function main(argv: string[]): number {
  const [command] = argv;
  if (command === undefined || command === 'info') {
    console.log(`LoopLens CLI · ONNX Runtime ${onnxRuntimeVersion}`);
    return 0;
  }
  console.error(`looplens: unknown command "${command}"\nusage: looplens [info]`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
