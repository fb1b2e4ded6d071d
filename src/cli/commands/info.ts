// `looplens info [MODEL]`: versions and the execution providers this machine offers; given a model
// file, what it is: task, shape, how it loops (T(n) or a fixed depth, with or without input
// injection) and how it was trained (steps, lengths, learning-rate schedule).
import * as path from 'node:path';
import { onnxRuntimeVersion } from '../../core/infer/executionProvider';
import { keyScalesText } from '../../core/model/keyScales';
import { loadModel } from '../../core/model/modelFile';
import { attentionScaleText, injectionText, loopRuleText } from '../../core/model/modelMetadata';
import { recordedAnswerHoldText, recordedBranchText, recordedForksText, recordedFromScratchText, recordedInitText, recordedInputsText, recordedLongShareText, recordedSavedWeightsText, recordedScheduleText, recordedStagesText, recordedTimeText, recordedTrainedLengths, recordedWeightDecayText, trainedLengthsText } from '../../core/train/trainRecord';
import { recordedSoupText } from '../../core/train/modelSoup';
import { defineCommand } from '../framework/command';

export const infoCommand = defineCommand({
  name: 'info',
  summary: 'Show the LoopLens CLI and ONNX Runtime versions, or what a model file is.',
  usage: 'looplens info [MODEL]',
  positionals: [{ name: 'MODEL', description: 'a .onnx model file written by looplens train: its task, shape, loop rule and training' }],
  options: {},
  examples: ['looplens info', 'looplens info models/parity.onnx'],
  async run(args, ctx) {
    ctx.print(`LoopLens CLI · ONNX Runtime ${onnxRuntimeVersion}`);
    const file = args.positional(0);
    if (file === undefined) return;
    const m = await loadModel(path.resolve(ctx.cwd, file));
    const c = m.config;
    const t = m.metadata.training;
    ctx.print(`${path.basename(file)}: ${m.task.title} (task ${m.task.name}), LoopLens model format ${m.metadata.formatVersion}`);
    ctx.print(`  model: d=${c.d}, ${c.layers} layer(s), ${c.heads} heads, ${c.readIn} read-in, vocabulary ${c.vocabSize}`);
    ctx.print(`  loops: ${loopRuleText(m.metadata.stepsRule)}`);
    ctx.print(`  ${injectionText(c)}`);
    const scale = attentionScaleText(c);
    if (scale !== undefined) ctx.print(`  attention: ${scale}`);
    const keyScales = keyScalesText(c, m.params);
    if (keyScales !== undefined) ctx.print(`  key scales s, per head: ${keyScales}`);
    ctx.print(`  trained: ${t.stepsCompleted} steps (${t.preset} preset, seed ${t.seed}) on lengths ${trainedLengthsText(recordedTrainedLengths(t))}`);
    const time = recordedTimeText(t);
    if (time !== undefined) ctx.print(`  training time: ${time}`);
    const fromScratch = recordedFromScratchText(t);
    if (fromScratch !== undefined) ctx.print(`  from scratch: ${fromScratch} (its starting model's training and this fine-tune's)`);
    const lr = recordedScheduleText(t.recipe);
    if (lr !== undefined) ctx.print(`  learning rate: ${lr}`);
    const stages = recordedStagesText(t.recipe);
    if (stages !== undefined) ctx.print(`  stages: ${stages} (not the paper's one curriculum)`);
    const longShare = recordedLongShareText(t.recipe);
    if (longShare !== undefined) ctx.print(`  lengths: ${longShare} (not the paper's uniform lengths)`);
    const inputs = recordedInputsText(t.recipe); // a hard share, a distinct share or both
    if (inputs !== undefined) ctx.print(`  inputs: ${inputs} (not the paper's uniform inputs)`);
    const hold = recordedAnswerHoldText(t.recipe);
    if (hold !== undefined) ctx.print(`  loss: ${hold} (not the paper's read at T(n))`);
    const start = recordedInitText(t.recipe);
    if (start !== undefined) ctx.print(`  started from: ${start} (fine-tuned, not trained from scratch)`);
    const decay = recordedWeightDecayText(t.recipe);
    if (decay !== undefined) ctx.print(`  weight decay: ${decay}`);
    const saved = recordedSavedWeightsText(t.recipe);
    if (saved !== undefined) ctx.print(`  weights: ${saved}`);
    const soup = recordedSoupText(t);
    if (soup !== undefined) ctx.print(`  soup: ${soup}; the training above is the first's`);
    const forks = recordedForksText(t);
    if (forks !== undefined) ctx.print(`  forked: ${forks}`);
    const branch = recordedBranchText(t);
    if (branch !== undefined) ctx.print(`  branch: ${branch}`);
  },
});
