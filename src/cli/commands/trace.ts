// `looplens trace MODEL --input 1011`: what the model outputs after every loop iteration, how
// confident it is, and where T(n) and the adaptive rule would stop.
import * as path from 'node:path';
import { renderTable } from '../../core/eval/lengthReport';
import { loadModel } from '../../core/model/modelFile';
import { injectionText, loopRuleText } from '../../core/model/modelMetadata';
import { openTraceSessions, releaseTraceSessions, traceText } from '../../core/trace/traceInput';
import { TaskInputError } from '../../core/tasks';
import { defineCommand } from '../framework/command';
import { UsageError } from '../framework/errors';
import { providerFrom, providerOptions } from '../support/training';

export const traceCommand = defineCommand({
  name: 'trace',
  summary: 'Run one input through a model file and show the decoded output and confidence after every loop iteration.',
  usage: 'looplens trace MODEL --input TEXT [--steps N] [--json]',
  positionals: [{ name: 'MODEL', description: 'a .onnx model file written by looplens train', required: true }],
  options: {
    input: { type: 'string', valueName: 'TEXT', description: "the input in the task's syntax, e.g. 1011 for parity" },
    steps: { type: 'string', valueName: 'N', description: 'loop iterations to run', defaultText: 'T(n) + 20 (30 for multiplication, unique set)' },
    json: { type: 'boolean', description: 'print the per-step table as JSON' },
    ...providerOptions,
  },
  examples: ['looplens trace models/parity.onnx --input 1011', 'looplens trace runs/parity-cpu.onnx --input 110100111010 --steps 30'],
  async run(args, ctx) {
    const file = path.resolve(ctx.cwd, args.requiredPositional(0, 'MODEL'));
    const text = args.requiredString('input');
    const steps = args.int('steps', { min: 1, max: 10_000 });
    const ep = providerFrom(args, ctx);
    const model = await loadModel(file);
    const sessions = await openTraceSessions(model, ep);
    let r;
    try {
      r = await traceText(model.task, sessions, text, { steps });
    } catch (err) {
      if (err instanceof TaskInputError) throw new UsageError(`--input: ${err.message}`);
      throw err;
    } finally {
      await releaseTraceSessions(sessions);
    }
    const oracleStep = r.example.steps;
    if (args.flag('json')) {
      const steps = r.steps.map((s) => ({ step: s.step, predicted: s.answerText, correct: s.correct === true, confidence: s.meanConfidence, answerConfidence: s.answerConfidence, score: s.score }));
      ctx.print(JSON.stringify({ input: r.rendered.input, answer: r.rendered.answer, oracleStep, fixedSteps: model.task.fixedSteps ?? null, stops: r.stops, shownStop: r.shownStop, steps }, null, 2));
      return;
    }
    ctx.print(`${model.task.title}: ${r.rendered.input} → expected ${r.rendered.answer === '' ? '(empty)' : r.rendered.answer}   ${r.rendered.gloss}`);
    // An ablation model says so first: its T(n) is not the task's.
    if (model.task.fixedSteps !== undefined || !model.config.inputInjection) ctx.print(`loops: ${loopRuleText(model.metadata.stepsRule)}; ${injectionText(model.config)}`);
    ctx.print(`T(n) = ${oracleStep}${model.task.fixedSteps !== undefined ? ' (fixed depth)' : ''}; the per-example max-confidence rule picks step ${r.stops.perExample}; first stable prediction (3 steps) at step ${r.stops.stable}`);
    if (r.stops.calibrated !== null) ctx.print(`length-calibrated rule (the paper's rule on ${r.calibration!.examples} random inputs of this length) picks step ${r.stops.calibrated}`);
    else if (r.shownStop.note) ctx.print(r.shownStop.note);
    const body = r.steps.map((s) => {
      const marks = [s.step === oracleStep ? '← T(n)' : '', s.step === r.stops.perExample ? '← adaptive' : '', s.step === r.stops.calibrated ? '← calibrated' : ''].filter(Boolean).join(' ');
      return [String(s.step), s.answerText === '' ? '(empty)' : s.answerText, s.correct ? 'yes' : 'no', s.meanConfidence.toFixed(3), s.answerConfidence.toFixed(3), s.score.toFixed(4), marks];
    });
    ctx.print(renderTable(['step', 'output', 'right', 'mean conf', "conf at '='", 'score', ''], body, ['right', 'left', 'left', 'right', 'right', 'right', 'left']));
    ctx.print('mean conf: mean max-probability over the answer positions; score: mean -log(max prob), the adaptive rule picks its minimum.');
  },
});
