// The LoopLens debugger in VS Code: debug type `looplens` (adapter inline in the extension host),
// "LoopLens: Debug Model on Input", the launch configurations, inline values in the .raspl editor,
// and the stepper panel following the session (and the session following the panel). An input
// typed in that panel moves the session to it (same breakpoints, from iteration 1); once the
// session has ended, the panel traces inputs on its own, as one opened from the palette.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { LoadedModel } from '../../core/model/modelFile';
import type { StepperContent } from '../../core/view/stepperViewModel';
import { StepperPanel, type StepperHandlers } from '../panels/StepperPanel';
import { ensureModel, openModelFile, pathArgument, type CurrentModel } from '../models';
import { inputProblem, sampleInput } from '../stepThrough/stepInput';
import { DEBUG_TYPE, LooplensDebugSession, type DebugSessionHost } from './looplensDebugSession';
import { ensureWorkspaceProgram, inInstallFolder, sessionFolder, WorkspaceProgramError } from './workspaceProgram';

const same = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && path.resolve(a) === path.resolve(b);

/** What a stepper opened from the palette does for a model (stepThrough/): the panel does it too once its session has ended. */
export interface PaletteStepper {
  handlers(modelPath: string): Required<Pick<StepperHandlers, 'setInput' | 'openProgram'>>;
}

export class LooplensDebugger {
  /** Live adapters by VS Code debug session id. */
  private readonly adapters = new Map<string, LooplensDebugSession>();
  private readonly openStepper = new Map<LooplensDebugSession, boolean>();
  private readonly inlineChanged = new vscode.EventEmitter<void>();
  private readonly lastInput = new Map<string, string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly current: CurrentModel,
    private readonly log: vscode.OutputChannel,
    /** A palette stepper's handlers for a model (what the panel does once the session has ended). */
    private readonly stepper: PaletteStepper,
  ) {}

  private readonly host: DebugSessionHost = {
    open: async (p) => {
      const model = this.current.current && same(this.current.current.source, p) ? this.current.current : await this.current.open(p);
      return { model, sessions: await this.current.traceSessions(), stateSession: () => this.current.stateSession(), calibratedStops: this.current.calibratedStops };
    },
    onStop: (adapter, stop) => {
      this.inlineChanged.fire();
      const panel = StepperPanel.shown;
      if (panel && this.panelShows(panel, adapter)) panel.showStep(stop.step);
    },
    onStart: (adapter, content) => this.showStepper(adapter, content),
    onContent: (_adapter, content) => StepperPanel.update(content),
    onEnd: (adapter) => this.openStepper.delete(adapter),
  };

  private panelShows(panel: StepperPanel, adapter: LooplensDebugSession): boolean {
    const l = adapter.launch;
    return !!l && same(panel.origin.modelPath, l.model.source) && panel.origin.inputText === l.launch.input;
  }

  /**
   * The stepper shows the session's input (with the probes) and follows it; moving in the panel
   * moves the session, and an input typed there moves the session to that input.
   */
  private showStepper(adapter: LooplensDebugSession, content: StepperContent): void {
    const l = adapter.launch;
    if (this.openStepper.get(adapter) === false || !adapter.target || !l) return;
    const own = this.stepper.handlers(l.model.source);
    const panel = StepperPanel.show(
      this.context.extensionUri,
      content,
      {
        onStep: (step) => adapter.gotoStep(step),
        openProgram: own.openProgram,
        setInput: async (text) => {
          if (!adapter.active) return own.setInput(text);
          const problem = inputProblem(l.model.task, text);
          if (problem) throw new Error(problem);
          const next = await adapter.setInput(text);
          panel.showStep(adapter.target!.step);
          return next;
        },
      },
      true,
    );
    panel.showStep(adapter.target.step);
  }

  register(): void {
    const factory: vscode.DebugAdapterDescriptorFactory = {
      createDebugAdapterDescriptor: (session) => {
        const adapter = new LooplensDebugSession(this.host);
        this.adapters.set(session.id, adapter);
        this.openStepper.set(adapter, session.configuration.openStepper !== false);
        return new vscode.DebugAdapterInlineImplementation(adapter);
      },
    };
    this.context.subscriptions.push(
      this.inlineChanged,
      vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
      vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
        provideDebugConfigurations: () => [this.snippetConfig()],
        resolveDebugConfiguration: (_folder, config) => this.resolveEmpty(config),
        resolveDebugConfigurationWithSubstitutedVariables: (_folder, config) => this.resolve(config),
      }),
      vscode.debug.onDidTerminateDebugSession((s) => this.adapters.delete(s.id)),
      vscode.languages.registerInlineValuesProvider({ language: 'raspl' }, { onDidChangeInlineValues: this.inlineChanged.event, provideInlineValues: (doc, viewPort) => this.inlineValues(doc, viewPort) }),
      vscode.commands.registerCommand('looplens.debugModel', (arg?: unknown, input?: unknown) => this.debugModel(arg, typeof input === 'string' ? input : undefined)),
    );
  }

  private snippetConfig(): vscode.DebugConfiguration {
    const m = this.current.current;
    const task = m?.task.name ?? 'parity';
    return {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `LoopLens: debug the ${task} model`,
      model: m ? m.source : `\${workspaceFolder}/models/${task}.onnx`,
      program: `\${workspaceFolder}/models/tasks/${task}.raspl`,
      input: m ? sampleInput(m.task) : '1011',
      stopOnEntry: true,
    };
  }

  /** F5 without a launch.json (an empty configuration): "Debug Model on Input" on the current model. */
  private async resolveEmpty(config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (config.type || config.request || config.name) return config;
    await this.debugModel();
    return undefined;
  }

  /** Fills what a configuration leaves out (model: the current one; program: the workspace copy; input: asked), after ${…} variables are substituted. */
  private async resolve(config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (config.type !== DEBUG_TYPE) return config;
    try {
      let model: LoadedModel | undefined;
      if (typeof config.model !== 'string' || config.model === '') {
        model = await ensureModel(this.context, this.current, 'Debug Model on Input');
        if (!model) return undefined;
        config.model = model.source;
      }
      if (typeof config.program !== 'string' || config.program === '') {
        model ??= this.current.current && same(this.current.current.source, config.model) ? this.current.current : await openModelFile(this.current, config.model as string);
        if (!model) return undefined;
        config.program = ensureWorkspaceProgram(this.context.extensionUri, model.task, model.source);
      } else if (inInstallFolder(this.context.extensionUri, config.program as string)) {
        void vscode.window.showErrorMessage(`LoopLens: "program" is ${config.program}, inside LoopLens’s install folder. A debug session uses a workspace copy: remove "program" (LoopLens then copies it to models/tasks/ in your workspace) or point it at a workspace file.`);
        return undefined;
      }
      if (typeof config.input !== 'string' || config.input.trim() === '') {
        model ??= this.current.current && same(this.current.current.source, config.model) ? this.current.current : await openModelFile(this.current, config.model as string);
        if (!model) return undefined;
        const text = await this.askInput(model);
        if (text === undefined) return undefined;
        config.input = text;
      }
      return config;
    } catch (e) {
      if (e instanceof WorkspaceProgramError) {
        void vscode.window.showErrorMessage(`LoopLens: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  }

  private async askInput(model: LoadedModel): Promise<string | undefined> {
    const task = model.task;
    const text = await vscode.window.showInputBox({
      title: `Debug ${path.basename(model.source)} (${task.title}) on one input`,
      prompt: `An input for ${task.title}, e.g. ${task.inputSyntax}. Each loop iteration is one step (F10), beside the task’s RASP-L program.`,
      value: this.lastInput.get(model.source) ?? sampleInput(task),
      ignoreFocusOut: true,
      validateInput: (t) => inputProblem(task, t),
    });
    if (text !== undefined) this.lastInput.set(model.source, text);
    return text;
  }

  /**
   * "LoopLens: Debug Model on Input". `arg`: a model path or Uri (the Models view, the Explorer);
   * without one, the stepper's model and input when the stepper is the active editor, else the
   * current model (or one the user picks) and an input the user types.
   */
  async debugModel(arg?: unknown, givenInput?: string): Promise<boolean> {
    let file = pathArgument(arg);
    let input = givenInput;
    const panel = StepperPanel.shown;
    if (!file && panel?.active && panel.origin.modelPath) {
      file = panel.origin.modelPath;
      input ??= panel.origin.inputText;
    }
    let model: LoadedModel | undefined;
    if (file) model = this.current.current && same(this.current.current.source, file) ? this.current.current : await openModelFile(this.current, file);
    else model = await ensureModel(this.context, this.current, 'Debug Model on Input');
    if (!model) return false;
    if (input === undefined || inputProblem(model.task, input)) input = await this.askInput(model);
    if (input === undefined) return false;
    let program: string;
    try {
      program = ensureWorkspaceProgram(this.context.extensionUri, model.task, model.source);
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens: ${(e as Error).message}`);
      return false;
    }
    const config: vscode.DebugConfiguration = {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `LoopLens: ${path.basename(model.source)} on ${input.length > 20 ? `${input.slice(0, 20)}…` : input}`,
      model: model.source,
      program,
      input,
      stopOnEntry: true,
    };
    this.log.appendLine(`debugging ${model.source} on ${input} beside ${program}`);
    // the program opens beside, so its breakpoints and inline values are in view
    await vscode.window.showTextDocument(vscode.Uri.file(program), { preview: false, viewColumn: vscode.ViewColumn.One });
    return vscode.debug.startDebugging(sessionFolder(model.source), config);
  }

  private inlineValues(doc: vscode.TextDocument, viewPort: vscode.Range): vscode.InlineValue[] {
    const s = vscode.debug.activeDebugSession;
    const adapter = s && s.type === DEBUG_TYPE ? this.adapters.get(s.id) : undefined;
    const t = adapter?.target;
    if (!t || !same(adapter.launch?.launch.program, doc.uri.fsPath)) return [];
    return t
      .inlineValues()
      .filter((v) => v.line - 1 >= viewPort.start.line && v.line - 1 <= viewPort.end.line && v.line - 1 < doc.lineCount)
      .map((v) => {
        const end = doc.lineAt(v.line - 1).range.end;
        return new vscode.InlineValueText(new vscode.Range(end, end), v.text);
      });
  }
}

export function registerDebugger(context: vscode.ExtensionContext, current: CurrentModel, log: vscode.OutputChannel, stepper: PaletteStepper): LooplensDebugger {
  const d = new LooplensDebugger(context, current, log, stepper);
  d.register();
  return d;
}
