// `looplens info`: versions and the execution providers this machine offers.
import { onnxRuntimeVersion } from '../../core/infer/executionProvider';
import { defineCommand } from '../framework/command';

export const infoCommand = defineCommand({
  name: 'info',
  summary: 'Show the LoopLens CLI and ONNX Runtime versions.',
  usage: 'looplens info',
  options: {},
  run(_args, ctx) {
    ctx.print(`LoopLens CLI · ONNX Runtime ${onnxRuntimeVersion}`);
  },
});
