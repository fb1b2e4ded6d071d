// "LoopLens: Step Through Iterations": one input through the current model, every loop iteration
// in the stepper panel beside the task's RASP-L reference program (models/tasks/<task>.raspl,
// shipped with the extension).
//
// Halting: the stepper opens at T(n), the oracle step. For the built-in tasks T(n) follows from the
// visible input length (the model file's stepsRule.defaultHalting says 'oracle'). The "adaptive
// stop" it marks is the best per-example rule measured (core/infer/evaluate.ts calibratedStep): the
// paper's per-batch confidence rule applied to random inputs of this input's length, which needs
// neither T(n) nor other test inputs. The paper's per-example score alone was near chance on parity
// (issue 5: the read-out is confident at every step); where it stops is said in a note.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadedModel } from '../../core/model/modelFile';
import { traceStepperContent, DEFAULT_STEPPER_RULE, type StepperProgramSource } from '../../core/view/traceStepper';
import { CALIBRATION_EXAMPLES, calibratedStep } from '../../core/infer/evaluate';
import { Rng } from '../../core/util/rng';
import { raspProgramSource } from '../../core/view/raspProgramSource';
import type { StepperContent } from '../../core/view/stepperViewModel';
import type { Task } from '../../core/tasks/types';
import { StepperPanel } from '../panels/StepperPanel';
import { ensureModel, openModelFile, pathArgument, type CurrentModel } from '../models';
import { inputProblem, sampleInput } from './stepInput';

export class StepThrough {
  private readonly programs = new Map<string, StepperProgramSource | null>();
  private readonly lastInput = new Map<string, string>();
  /** Length-calibrated stops: model|lengths|width|steps → step (the same for every input of those lengths). */
  private readonly calibrated = new Map<string, number>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly current: CurrentModel,
    private readonly log: vscode.OutputChannel,
  ) {}

  register(): void {
    this.context.subscriptions.push(
      vscode.commands.registerCommand('looplens.stepThrough', (arg?: unknown) => this.run(pathArgument(arg))),
      StepperPanel.registerSerializer(this.context.extensionUri, async (s) => {
        const file = s?.origin?.modelPath;
        if (!file) return null;
        const make = (text: string) => this.content(file, text);
        return { content: await make(s.origin!.inputText), handlers: { setInput: make } };
      }),
    );
  }

  /**
   * The task's program: for a custom task the task file stored in the model (its own labeller),
   * else the reference program shipped with the extension; null (with the reason logged) when unusable.
   */
  private program(task: Task): StepperProgramSource | null {
    const key = task.raspl ? `${task.name}\0${task.raspl.source}` : task.name;
    if (this.programs.has(key)) return this.programs.get(key)!;
    const file = task.raspl ? task.raspl.file : vscode.Uri.joinPath(this.context.extensionUri, 'models', 'tasks', `${task.name}.raspl`).fsPath;
    let program: StepperProgramSource | null = null;
    try {
      program = raspProgramSource(task.raspl ? task.raspl.source : fs.readFileSync(file, 'utf8'), file);
    } catch (e) {
      this.log.appendLine(`the RASP-L program ${file} cannot be used: ${(e as Error).message}`);
    }
    this.programs.set(key, program);
    return program;
  }

  /** Traces `text` through the model at `file` (made current again if another one was opened since). Throws with a user-facing message on bad input. */
  private async content(file: string, text: string): Promise<StepperContent> {
    const model = this.current.current?.source === file ? this.current.current : await this.current.open(file);
    const problem = inputProblem(model.task, text);
    if (problem) throw new Error(problem);
    this.lastInput.set(model.source, text);
    const content = await traceStepperContent({
      session: await this.current.traceSession(),
      task: model.task,
      text,
      modelLabel: path.basename(model.source),
      modelPath: model.source,
      program: this.program(model.task),
      rule: DEFAULT_STEPPER_RULE,
    });
    return this.withCalibratedStop(model, text, content);
  }

  /** Marks the length-calibrated rule's step as the adaptive stop (keeping the per-example score's in a note). */
  private async withCalibratedStop(model: LoadedModel, text: string, content: StepperContent): Promise<StepperContent> {
    const example = model.task.fromText(text);
    const steps = content.viewModel.steps.length;
    const width = example.input.length;
    const key = `${model.source}|${example.lengths.join(',')}|${width}|${steps}`;
    let stop = this.calibrated.get(key);
    if (stop === undefined) {
      try {
        stop = await calibratedStep(model.task, await this.current.evalSession(), example.lengths, { examples: CALIBRATION_EXAMPLES, rng: new Rng(1), maxSteps: steps, width });
        this.calibrated.set(key, stop);
      } catch (e) {
        this.log.appendLine(`the length-calibrated stop could not be computed: ${(e as Error).message}`);
        return content;
      }
    }
    const h = content.viewModel.halting;
    const note = `Stop = ${stop} is the length-calibrated rule: the paper's confidence rule applied to ${CALIBRATION_EXAMPLES} random inputs of this length, which needs neither T(n) nor other test inputs. The paper's score on this one input alone (${h.rule}) would stop at step ${h.adaptiveStep ?? '–'}.`;
    return {
      ...content,
      viewModel: { ...content.viewModel, halting: { ...h, adaptiveStep: stop, rule: `length-calibrated: the paper's rule on ${CALIBRATION_EXAMPLES} random inputs of this length` }, notes: [...content.viewModel.notes, note] },
    };
  }

  async run(file?: string): Promise<void> {
    let model: LoadedModel | undefined;
    if (file && this.current.current?.source !== file) model = await openModelFile(this.current, file);
    else model = await ensureModel(this.context, this.current, 'Step Through Iterations');
    if (!model) return;
    const task = model.task;
    const text = await vscode.window.showInputBox({
      title: `Step through ${path.basename(model.source)} (${task.title})`,
      prompt: `An input for ${task.title}, e.g. ${task.inputSyntax}. The model loops T(n) = ${model.metadata.stepsRule.oracle.replace(/^T\(n\) = /, '')} times, plus ${task.adaptiveExtraSteps} steps to watch what happens after.`,
      value: this.lastInput.get(model.source) ?? sampleInput(task),
      ignoreFocusOut: true,
      validateInput: (t) => inputProblem(task, t),
    });
    if (text === undefined) return;
    try {
      const content = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `LoopLens: tracing ${text.length > 24 ? `${text.slice(0, 24)}…` : text}` }, () => this.content(model.source, text));
      StepperPanel.show(this.context.extensionUri, content, { setInput: (t) => this.content(model.source, t) });
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens could not trace this input: ${(e as Error).message}`);
    }
  }
}

export function registerStepThrough(context: vscode.ExtensionContext, current: CurrentModel, log: vscode.OutputChannel): StepThrough {
  const s = new StepThrough(context, current, log);
  s.register();
  return s;
}
