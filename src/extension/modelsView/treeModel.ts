// The Models view's tree as plain data: one group per place LoopLens looks for models (shipped,
// the workspace's models/ and runs/, the setting's folder, global storage), then the training runs
// (each checkpoint, with the models saved from it). No vscode import (unit-tested).
import * as path from 'node:path';
import type { ModelFileEntry, ModelFolder } from '../models/findModels';

export interface GroupNode {
  kind: 'group';
  id: string;
  label: string;
  /** The folder it lists (absent for the runs group). */
  dir?: string;
  children: TreeNode[];
  /** Shown as the group's only child when it has no files. */
  empty: string;
}

export interface ModelNode {
  kind: 'model';
  id: string;
  file: ModelFileEntry;
  /** Shipped with LoopLens: read-only (no Delete). */
  shipped: boolean;
}

export interface RunNode {
  kind: 'run';
  id: string;
  /** The checkpoint. */
  file: ModelFileEntry;
  /** Models written from this run: its final model and checkpoints saved as models (<stem>-step<N>.onnx). */
  models: ModelNode[];
}

export interface MessageNode {
  kind: 'message';
  id: string;
  label: string;
}

export type TreeNode = GroupNode | ModelNode | RunNode | MessageNode;

const stem = (p: string) => p.slice(0, -path.extname(p).length);

/** Whether `model` was written by the run whose checkpoint is `checkpoint` (same folder and stem, or the stem plus -step<N>). */
export function belongsToRun(model: string, checkpoint: string): boolean {
  const s = stem(checkpoint);
  const m = stem(model);
  // its model, checkpoints saved as models (-step4000) and kept branches (-branch2)
  const suffix = m.startsWith(`${s}-`) ? m.slice(s.length + 1) : undefined;
  return m === s || (suffix !== undefined && /^(step|branch)\d+$/.test(suffix));
}

/**
 * The tree: a group per folder (in `folders` order) listing its models, then "Training runs".
 * `shippedSource` names the folder whose models are shipped (read-only).
 */
export function buildTree(folders: readonly ModelFolder[], models: readonly ModelFileEntry[], checkpoints: readonly ModelFileEntry[], shippedSource: string): GroupNode[] {
  const groups: GroupNode[] = [];
  // several folders may share a label (e.g. two workspace folders' runs/ would not): keep them apart by dir
  for (const folder of folders) {
    const inFolder = models.filter((m) => m.source === folder.source && isInside(m.path, folder.dir));
    const shipped = folder.source === shippedSource;
    // an empty folder LoopLens only might use is left out, except the workspace's models/ (where Train saves)
    if (inFolder.length === 0 && !/models\/?$/.test(folder.source)) continue;
    groups.push({
      kind: 'group',
      id: `group:${folder.dir}`,
      label: groupLabel(folder.source),
      dir: folder.dir,
      empty: 'No models yet: train one (+ above)',
      children: inFolder.map((file) => ({ kind: 'model', id: `model:${file.path}`, file, shipped })),
    });
  }
  const runs: RunNode[] = checkpoints.map((file) => ({
    kind: 'run',
    id: `run:${file.path}`,
    file,
    models: models.filter((m) => belongsToRun(m.path, file.path)).map((m) => ({ kind: 'model', id: `run-model:${m.path}`, file: m, shipped: false })),
  }));
  groups.push({ kind: 'group', id: 'group:runs', label: 'Training runs', children: runs, empty: 'No training runs: a run keeps its checkpoint (.ckpt) here' });
  return groups;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** "shipped with LoopLens" → "Shipped with LoopLens"; "workspace models/" → "Workspace: models/"; a setting or folder name stays as it is. */
export function groupLabel(source: string): string {
  if (source.startsWith('workspace ')) return `Workspace: ${source.slice('workspace '.length)}`;
  if (/[./]/.test(source)) return source;
  return source.charAt(0).toUpperCase() + source.slice(1);
}
