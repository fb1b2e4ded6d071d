// "LoopLens: Step Through Iterations": one input through the current model, every loop iteration
// in the stepper panel beside the task's RASP-L program: the workspace's models/tasks/<task>.raspl
// when there is one (the debugger's copy, maybe edited), else the reference program shipped with
// the extension. Its program link opens the workspace copy, never the install folder.
//
// The stepper opens at T(n) and marks the stop core/trace chose (the length-calibrated rule, with
// the per-example score's stop in a note); the host only forwards.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, type LoadedModel } from '../../core/model/modelFile';
import { raspProgramSource, type ProgramSource } from '../../core/programs/source/raspProgramSource';
import { contentOf, probeProgramVariables, traceWithProgram, type StepperContentOptions } from '../../core/view/stepperContent';
import type { StepperContent } from '../../core/view/stepperViewModel';
import type { Task } from '../../core/tasks/types';
import { StepperPanel, type StepperHandlers } from '../panels/StepperPanel';
import { ensureModel, openModelFile, pathArgument, type CurrentModel } from '../models';
import { workspaceProgramPath } from '../debug/workspaceProgram';
import { openProgramLine } from './programLink';
import { inputProblem, sampleInput } from './stepInput';

export class StepThrough {
  private readonly programs = new Map<string, ProgramSource | null>();
  private readonly lastInput = new Map<string, string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly current: CurrentModel,
    private readonly log: vscode.OutputChannel,
  ) {}

  register(): void {
    this.context.subscriptions.push(
      vscode.commands.registerCommand('looplens.stepThrough', (arg?: unknown) => {
        const ex = exampleArgument(arg);
        return ex ? this.runExample(ex.modelPath, ex.input) : this.run(pathArgument(arg));
      }),
      StepperPanel.registerSerializer(this.context.extensionUri, async (s) => {
        const file = s?.origin?.modelPath;
        if (!file) return null;
        return { content: await this.content(file, s.origin!.inputText), handlers: this.handlers(file) };
      }, this.context.workspaceState),
    );
  }

  /** What a panel showing a model's inputs does: trace another input, open its program at a line. */
  handlers(modelPath: string): Required<Pick<StepperHandlers, 'setInput' | 'openProgram'>> {
    return {
      setInput: (text) => this.content(modelPath, text),
      openProgram: async (file, line) => {
        // only the task is needed: another model is read, not made current (that would release the current one's sessions)
        const model = this.current.current?.source === modelPath ? this.current.current : await loadModel(modelPath);
        await openProgramLine(this.context.extensionUri, model.task, model.source, file, line);
      },
    };
  }

  /**
   * The task's program: the workspace's copy (models/tasks/<task>.raspl) when there is one, else for
   * a custom task the task file stored in the model (its own labeller), else the reference program
   * shipped with the extension; null (with the reason logged) when unusable.
   */
  private program(task: Task, modelPath: string): ProgramSource | null {
    const copy = workspaceProgramPath(task, modelPath);
    const own = copy !== null && fs.existsSync(copy) ? copy : null;
    const file = own ?? (task.raspl ? task.raspl.file : vscode.Uri.joinPath(this.context.extensionUri, 'models', 'tasks', `${task.name}.raspl`).fsPath);
    let program: ProgramSource | null = null;
    try {
      const text = own || !task.raspl ? fs.readFileSync(file, 'utf8') : task.raspl.source;
      const key = `${file}\0${text}`; // an edited copy is read again
      if (this.programs.has(key)) return this.programs.get(key)!;
      if (this.programs.size > 8) this.programs.clear();
      program = raspProgramSource(text, file);
      if (program.task?.name !== task.name) {
        this.log.appendLine(`the RASP-L program ${file} ${program.task ? `is the "${program.task.name}" task` : 'declares no task'}, not "${task.name}": the stepper shows the model alone`);
        program = null;
      }
      this.programs.set(key, program);
    } catch (e) {
      this.log.appendLine(`the RASP-L program ${file} cannot be used: ${(e as Error).message}`);
    }
    return program;
  }

  /** Traces `text` through the model at `file` (made current again if another one was opened since). Throws with a user-facing message on bad input. */
  private async content(file: string, text: string): Promise<StepperContent> {
    const model = this.current.current?.source === file ? this.current.current : await this.current.open(file);
    const problem = inputProblem(model.task, text);
    if (problem) throw new Error(problem);
    this.lastInput.set(model.source, text);
    const o: StepperContentOptions = {
      sessions: await this.current.traceSessions(),
      calibratedStops: this.current.calibratedStops,
      task: model.task,
      text,
      modelLabel: path.basename(model.source),
      modelPath: model.source,
      program: this.program(model.task, model.source),
      // probes over random inputs of the same lengths (the debugger's `probe` uses the same ones)
      probeSession: await this.current.stateSession().catch((e: Error) => {
        this.log.appendLine(`probes are off: the state graph could not be opened: ${e.message}`);
        return null;
      }),
    };
    const traced = await traceWithProgram(o);
    if (!o.probeSession || !traced.program) return contentOf(o, traced, null);
    // the panel opens at once; the probes (seconds) follow and replace its content
    void probeProgramVariables(o, traced).then(
      (probes) => StepperPanel.update(contentOf(o, traced, probes)),
      (e: Error) => this.log.appendLine(`the probes could not be fitted: ${e.message}`),
    );
    return contentOf(o, traced, 'pending');
  }

  /** Opens one given input of a model in the stepper, without asking (the Evaluation panel's failing examples). */
  async runExample(file: string, text: string): Promise<void> {
    const model = this.current.current?.source === file ? this.current.current : await openModelFile(this.current, file);
    if (!model) return;
    try {
      const content = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `LoopLens: tracing ${text.length > 24 ? `${text.slice(0, 24)}…` : text}` }, () => this.content(model.source, text));
      StepperPanel.show(this.context.extensionUri, content, this.handlers(model.source));
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens could not trace this input: ${(e as Error).message}`);
    }
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
      StepperPanel.show(this.context.extensionUri, content, this.handlers(model.source));
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens could not trace this input: ${(e as Error).message}`);
    }
  }
}

/** `{ modelPath, input }`: a command argument naming one input of a model; null for anything else. */
export function exampleArgument(arg: unknown): { modelPath: string; input: string } | null {
  const a = arg as { modelPath?: unknown; input?: unknown } | null | undefined;
  return a && typeof a === 'object' && typeof a.modelPath === 'string' && typeof a.input === 'string' && a.input.length <= 10_000 ? { modelPath: a.modelPath, input: a.input } : null;
}

export function registerStepThrough(context: vscode.ExtensionContext, current: CurrentModel, log: vscode.OutputChannel): StepThrough {
  const s = new StepThrough(context, current, log);
  s.register();
  return s;
}
