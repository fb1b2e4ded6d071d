// The questions "LoopLens: Train Looped Model" asks: task, preset, then a review list where steps,
// seed, output file and final evaluation can be changed before starting (or an unfinished run at
// that output resumed). Returns what to run, or undefined when the user gives up.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCheckpoint } from '../../core/train/checkpoint';
import { RaspError } from '../../core/rasp';
import { getTask, taskNames } from '../../core/tasks';
import { taskFromRaspl } from '../../core/programs/tasks/fromRaspl';
import type { Task, TaskName } from '../../core/tasks/types';
import type { PresetName } from '../../core/train/presets';
import {
  checkpointPathFor,
  defaultFinalEval,
  defaultModelPath,
  describeFinalEval,
  parseFinalEval,
  parseOptionalInt,
  presetChoices,
  recipeOf,
  type TrainPlan,
} from './trainPlan';

export interface TrainRequest {
  plan: TrainPlan;
  /** Continue the checkpoint next to plan.modelPath instead of starting over. */
  resume: boolean;
}

type TaskItem = vscode.QuickPickItem & { task?: TaskName; raspl?: true };

/** The .raspl file to train: the open one when the active editor shows a task file, else chosen in a dialog. */
async function pickTaskFile(extensionUri: vscode.Uri): Promise<Task | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const activeRaspl = active && /\.raspl$/i.test(active.uri.fsPath) ? active.uri : undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.joinPath(extensionUri, 'models', 'tasks');
  const picked = await vscode.window.showOpenDialog({
    title: 'Train Looped Model (2/3): your RASP-L task file',
    openLabel: 'Train on this task',
    canSelectMany: false,
    defaultUri: activeRaspl ?? folder,
    filters: { 'RASP-L task files': ['raspl'] },
  });
  const uri = picked?.[0];
  if (!uri) return undefined;
  // An open editor may hold unsaved edits: train what the user sees.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const source = open ? open.getText() : fs.readFileSync(uri.fsPath, 'utf8');
  const name = path.basename(uri.fsPath);
  try {
    return taskFromRaspl(source, name);
  } catch (e) {
    if (!(e instanceof RaspError)) throw e;
    const choice = await vscode.window.showErrorMessage(`LoopLens: ${name} cannot be trained: ${e.format(name)}`, 'Open the File');
    if (choice === 'Open the File') void vscode.window.showTextDocument(uri);
    return undefined;
  }
}

async function pickTask(extensionUri: vscode.Uri): Promise<TaskName | Task | undefined> {
  const items: TaskItem[] = taskNames.map((name) => {
    const t = getTask(name);
    return { label: t.title, description: `${name} · e.g. ${t.inputSyntax}`, detail: t.description, task: name };
  });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(file-code) Your own RASP-L task (.raspl)…', description: 'cpu preset', detail: 'A task file like models/tasks/parity.raspl: its program labels the rows; the model file keeps the program', raspl: true });
  const picked = await vscode.window.showQuickPick(items, { title: 'Train Looped Model (1/3): task', placeHolder: 'Which task should the looped transformer learn?', matchOnDescription: true });
  if (picked?.raspl) return pickTaskFile(extensionUri);
  return picked?.task;
}

async function pickPreset(task: TaskName): Promise<PresetName | undefined> {
  const items = presetChoices(task).map((c) => ({ label: c.label, description: c.description, detail: c.detail, preset: c.preset }));
  const picked = await vscode.window.showQuickPick(items, { title: `Train Looped Model (2/3): recipe for ${getTask(task).title}`, placeHolder: 'Which training recipe?' });
  return picked?.preset;
}

async function checkpointStep(file: string): Promise<number | undefined> {
  if (!fs.existsSync(file)) return undefined;
  try {
    return (await readCheckpoint(file)).step;
  } catch {
    return undefined;
  }
}

type ReviewItem = vscode.QuickPickItem & { action: 'start' | 'resume' | 'steps' | 'seed' | 'output' | 'eval' };

async function ask(title: string, prompt: string, value: string, validate: (t: string) => string | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: validate });
}

const validator = (parse: (t: string) => unknown) => (t: string) => {
  try {
    parse(t);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

/** The review list: edit any field, then Start (or Resume). */
async function review(plan: TrainPlan): Promise<TrainRequest | undefined> {
  const title = `Train Looped Model (3/3): ${plan.taskFile ? `${plan.task} (${plan.taskFile.file})` : getTask(plan.task).title}, ${plan.preset} preset`;
  for (;;) {
    const recipe = recipeOf(plan);
    const ckpt = fs.existsSync(plan.modelPath) ? undefined : await checkpointStep(checkpointPathFor(plan.modelPath));
    const rel = vscode.workspace.asRelativePath(plan.modelPath);
    const items: ReviewItem[] = [];
    if (ckpt !== undefined) {
      items.push({ label: `$(debug-continue) Resume the unfinished run from step ${ckpt}`, description: path.basename(checkpointPathFor(plan.modelPath)), action: 'resume' });
      items.push({ label: '$(play) Start over', description: 'replaces that checkpoint', action: 'start' });
    } else {
      items.push({ label: '$(play) Start training', description: `${recipe.steps.toLocaleString('en-US')} steps → ${rel}`, action: 'start' });
    }
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator, action: 'steps' },
      { label: `$(symbol-number) Steps: ${recipe.steps.toLocaleString('en-US')}`, description: plan.steps === undefined ? "the preset's" : 'changed', action: 'steps' },
      { label: `$(symbol-number) Seed: ${recipe.seed}`, description: plan.seed === undefined ? "the preset's" : 'changed', action: 'seed' },
      { label: `$(save) Output: ${rel}`, description: 'the model file; its checkpoint sits beside it (.ckpt)', action: 'output' },
      { label: `$(graph) Final evaluation: ${describeFinalEval(plan.finalEval)}`, description: 'saved in the model file', action: 'eval' },
    );
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Start, or change a setting first', ignoreFocusOut: true });
    if (!picked) return undefined;
    switch (picked.action) {
      case 'start':
      case 'resume':
        return { plan, resume: picked.action === 'resume' };
      case 'steps': {
        const parse = (t: string) => parseOptionalInt(t, 'steps', 1, 10_000_000);
        const v = await ask(title, "Training steps (empty: the preset's)", plan.steps === undefined ? '' : String(plan.steps), validator(parse));
        if (v !== undefined) plan = { ...plan, steps: parse(v) };
        break;
      }
      case 'seed': {
        const parse = (t: string) => parseOptionalInt(t, 'seed', 0, 2 ** 32 - 1);
        const v = await ask(title, `Seed of the initialisation and the data (empty: the preset's, ${recipeOf({ ...plan, seed: undefined }).seed})`, plan.seed === undefined ? '' : String(plan.seed), validator(parse));
        if (v !== undefined) plan = { ...plan, seed: parse(v) };
        break;
      }
      case 'output': {
        const check = (t: string) => {
          if (!path.isAbsolute(t.trim())) throw new Error('give an absolute path');
          if (!/\.onnx$/i.test(t.trim())) throw new Error('a model file name ends with .onnx');
        };
        const v = await ask(title, 'Model file to write (absolute path, .onnx)', plan.modelPath, validator(check));
        if (v !== undefined) plan = { ...plan, modelPath: v.trim() };
        break;
      }
      case 'eval': {
        const v = await ask(title, 'Lengths and examples per length, e.g. "10,20,30,40 x 640" (the paper uses 6400), or "none"', plan.finalEval ? `${plan.finalEval.lengths.join(',')} x ${plan.finalEval.examples}` : 'none', validator(parseFinalEval));
        if (v !== undefined) plan = { ...plan, finalEval: parseFinalEval(v) };
        break;
      }
    }
  }
}

export async function askTrainRequest(extensionUri: vscode.Uri, defaultFolder: string): Promise<TrainRequest | undefined> {
  const picked = await pickTask(extensionUri);
  if (!picked) return undefined;
  // A custom task trains with the cpu preset (the paper's recipes are per built-in task).
  const preset = typeof picked === 'string' ? await pickPreset(picked) : 'cpu';
  if (!preset) return undefined;
  const task = typeof picked === 'string' ? getTask(picked) : picked;
  const ref = { task: task.name, ...(task.raspl ? { taskFile: { ...task.raspl } } : {}) };
  const plan: TrainPlan = { ...ref, preset, modelPath: defaultModelPath(defaultFolder, task.name, preset), finalEval: defaultFinalEval(task, recipeOf({ ...ref, preset })) };
  const request = await review(plan);
  if (!request) return undefined;
  if (!request.resume && fs.existsSync(request.plan.modelPath)) {
    const ok = await vscode.window.showWarningMessage(`${request.plan.modelPath} exists. Replace it when training finishes?`, { modal: true }, 'Replace');
    if (ok !== 'Replace') return undefined;
  }
  return request;
}
