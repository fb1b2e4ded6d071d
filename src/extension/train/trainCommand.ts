// The questions "LoopLens: Train Looped Model" asks: task, preset (or the custom recipe page), then
// a review list where steps, seed, output file and final evaluation can be changed and the run timed
// (Estimate time) before starting (or an unfinished run at that output resumed); it says how the
// recipe was rescaled to the steps and warns about what would not fit. Returns what to run, or
// undefined when the user gives up.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import { LIMITS } from '../../core/util/limits';
import { readRegularTextFileSync } from '../../core/util/safeRead';
import * as path from 'node:path';
import { readCheckpointHeader } from '../../core/train/checkpoint';
import { RaspError } from '../../core/rasp';
import { getTask, taskNames } from '../../core/tasks';
import { taskFromRaspl } from '../../core/programs/tasks/fromRaspl';
import type { Task, TaskName } from '../../core/tasks/types';
import { isPresetName, type PresetName } from '../../core/train/presets';
import { askCustomRecipe } from './recipePage';
import { estimateWithProgress } from './planEstimate';
import { hoursText } from '../../core/train/runCost';
import type { RecipeEstimate } from '../../protocol/recipe';
import { optionalWholeNumber } from './wholeNumberField';
import { MAX_TRAINING_STEPS } from '../../core/train/recipe';
import { checkpointPathFor } from '../../core/train/trainingCheckpoint';
import {
  defaultFinalEval,
  defaultModelPath,
  describeFinalEval,
  parseFinalEval,
  presetChoices,
  recipeNotes,
  recipeOf,
  recipePlanOf,
  type TrainPlan,
} from './trainPlan';

/** What the command's caller already decided (the walkthrough's button): a built-in task, a preset or 'custom'. */
export interface TrainCommandOptions {
  task?: string;
  preset?: string;
}

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
  // Only a regular file within the RASP-L size limit (a FIFO would block the extension host).
  const source = open ? open.getText() : readRegularTextFileSync(uri.fsPath, { what: 'task file', maxBytes: LIMITS.raspSourceBytes });
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

type PresetItem = vscode.QuickPickItem & { preset?: PresetName | 'custom' };

/** A preset, or 'custom' for the custom recipe page. A RASP-L task is offered tiny, cpu and custom (the paper's recipes are per built-in task). */
async function pickPreset(task: Task): Promise<PresetName | 'custom' | undefined> {
  const items: PresetItem[] = presetChoices(task)
    .filter((c) => task.raspl === undefined || c.preset !== 'paper')
    .map((c) => ({ label: c.label, description: c.description, detail: c.detail, preset: c.preset }));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(settings) Custom recipe…', description: 'd, layers, heads, lr, batch, lengths, interval, ablations', detail: 'A page to set the recipe yourself, starting from a preset', preset: 'custom' });
  const picked = await vscode.window.showQuickPick(items, { title: `Train Looped Model (2/3): recipe for ${task.title}`, placeHolder: 'Which training recipe?' });
  return picked?.preset;
}

async function checkpointStep(file: string): Promise<number | undefined> {
  if (!fs.existsSync(file)) return undefined;
  try {
    return (await readCheckpointHeader(file)).step;
  } catch {
    return undefined;
  }
}

type ReviewItem = vscode.QuickPickItem & { action: 'start' | 'resume' | 'steps' | 'seed' | 'output' | 'eval' | 'note' | 'custom' | 'estimate' };

type DoneEstimate = Extract<RecipeEstimate, { status: 'done' }>;

/** The review list's Estimate Time row: the offer, or the estimate of the recipe it timed. */
function estimateItem(done: DoneEstimate | undefined): ReviewItem {
  if (!done) return { label: '$(clock) Estimate time…', description: "times a few real steps of each kind of batch here; nothing is trained", action: 'estimate' };
  const label = `$(clock) About ${hoursText(done.wallSeconds * 1000)} of wall time (${hoursText(done.cpuSeconds * 1000)} of CPU time)`;
  return { label, description: 'timed here; pick to time again', detail: done.projection, action: 'estimate' };
}

export async function ask(title: string, prompt: string, value: string, validate: (t: string) => string | undefined): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: validate });
}

export const validator = (parse: (t: string) => unknown) => (t: string) => {
  try {
    parse(t);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

/** The review list: edit any field, then Start (or Resume). */
async function review(extensionUri: vscode.Uri, plan: TrainPlan): Promise<TrainRequest | undefined> {
  const title = `Train Looped Model (3/3): ${plan.taskFile ? `${plan.task} (${plan.taskFile.file})` : getTask(plan.task).title}, ${plan.custom ? 'custom recipe' : `${plan.preset} preset`}`;
  // the estimate of the recipe it timed: a changed recipe drops it
  let estimate: { recipe: string; done: DoneEstimate } | undefined;
  for (;;) {
    const recipePlan = recipePlanOf(plan);
    const recipe = recipePlan.recipe;
    const notes = recipeNotes(recipePlan);
    const ckpt = fs.existsSync(plan.modelPath) ? undefined : await checkpointStep(checkpointPathFor(plan.modelPath));
    const rel = vscode.workspace.asRelativePath(plan.modelPath);
    const items: ReviewItem[] = [];
    if (ckpt !== undefined) {
      items.push({ label: `$(debug-continue) Resume the unfinished run from step ${ckpt}`, description: path.basename(checkpointPathFor(plan.modelPath)), action: 'resume' });
      items.push({ label: '$(play) Start over', description: 'replaces that checkpoint', action: 'start' });
    } else {
      items.push({ label: '$(play) Start training', description: `${recipe.steps.toLocaleString('en-US')} steps → ${rel}`, action: 'start' });
    }
    for (const w of notes.warnings) items.push({ label: `$(warning) ${w}`, action: 'note', alwaysShow: true });
    const recipeKey = JSON.stringify(recipe);
    items.push(estimateItem(estimate?.recipe === recipeKey ? estimate.done : undefined));
    items.push(
      { label: '', kind: vscode.QuickPickItemKind.Separator, action: 'steps' },
      {
        label: `$(symbol-number) Steps: ${recipe.steps.toLocaleString('en-US')}`,
        description: plan.steps === undefined ? "the preset's" : 'changed',
        detail: notes.scaling,
        action: 'steps',
      },
      { label: `$(symbol-number) Seed: ${recipe.seed}`, description: plan.seed === undefined ? "the preset's" : 'changed', action: 'seed' },
      { label: `$(save) Output: ${rel}`, description: 'the model file; its checkpoint sits beside it (.ckpt)', action: 'output' },
      { label: `$(graph) Final evaluation: ${describeFinalEval(plan.finalEval)}`, description: 'saved in the model file', action: 'eval' },
      { label: '$(settings) Custom recipe…', description: 'change d, layers, heads, lr, batch, lengths, ablations on a page', action: 'custom' },
    );
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Start, or change a setting first', ignoreFocusOut: true });
    if (!picked) return undefined;
    switch (picked.action) {
      case 'start':
      case 'resume':
        return { plan, resume: picked.action === 'resume' };
      case 'note':
        break; // a warning: read, then choose again
      case 'custom':
        return askCustomRecipe(extensionUri, plan);
      case 'estimate': {
        const result = await estimateWithProgress(extensionUri, plan);
        if (result?.status === 'done') estimate = { recipe: recipeKey, done: result };
        else if (result?.status === 'failed') void vscode.window.showErrorMessage(`LoopLens: could not time the run: ${result.message}`);
        break;
      }
      case 'steps': {
        const parse = (t: string) => optionalWholeNumber(t, 'steps', 1, MAX_TRAINING_STEPS);
        const v = await ask(title, "Training steps (empty: the preset's). The curriculum and the learning-rate schedule scale with them.", plan.steps === undefined ? '' : String(plan.steps), validator(parse));
        if (v !== undefined) plan = { ...plan, steps: parse(v) };
        break;
      }
      case 'seed': {
        const parse = (t: string) => optionalWholeNumber(t, 'seed', 0, 2 ** 32 - 1);
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

export async function askTrainRequest(extensionUri: vscode.Uri, defaultFolder: string, options: TrainCommandOptions = {}): Promise<TrainRequest | undefined> {
  const given = options.task !== undefined && (taskNames as readonly string[]).includes(options.task) ? (options.task as TaskName) : undefined;
  const picked = given ?? (await pickTask(extensionUri));
  if (!picked) return undefined;
  const task = typeof picked === 'string' ? getTask(picked) : picked;
  const givenPreset = options.preset === 'custom' || (options.preset !== undefined && isPresetName(options.preset)) ? (options.preset as PresetName | 'custom') : undefined;
  const preset = givenPreset ?? (await pickPreset(task));
  if (!preset) return undefined;
  const ref = { task: task.name, ...(task.raspl ? { taskFile: { ...task.raspl } } : {}) };
  const base: PresetName = preset === 'custom' ? 'cpu' : preset;
  const plan: TrainPlan = { ...ref, preset: base, modelPath: defaultModelPath(defaultFolder, task.name, preset), finalEval: defaultFinalEval(task, recipeOf({ ...ref, preset: base })) };
  const request = preset === 'custom' ? await askCustomRecipe(extensionUri, plan) : await review(extensionUri, plan);
  if (!request) return undefined;
  return request.resume || (await confirmReplace(request.plan.modelPath)) ? request : undefined;
}

/** True when a new run may write `modelPath`: it does not exist, or the user agrees to replace it. */
export async function confirmReplace(modelPath: string): Promise<boolean> {
  if (!fs.existsSync(modelPath)) return true;
  const ok = await vscode.window.showWarningMessage(`${modelPath} exists. Replace it when training finishes?`, { modal: true }, 'Replace');
  return ok === 'Replace';
}
