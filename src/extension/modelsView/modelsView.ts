// The LoopLens activity-bar view's Models tree: the shipped models, the workspace's models and
// training runs (with the models saved from each), each with its task, shape, trained lengths and
// accuracy at the task's test length. A file watcher (and the trainer) keep it current.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { findCheckpointFiles, findModelFiles, type ModelFolder } from '../models/findModels';
import { describeCheckpoint, describeModel, fileSummaries, modelTooltip, trainedText, type CheckpointFileSummary } from '../models/modelInfo';
import { modelFolders, SHIPPED_SOURCE } from '../models/modelFolders';
import { buildTree, type GroupNode, type ModelNode, type RunNode, type TreeNode } from './treeModel';

export const MODELS_VIEW = 'looplens.models';

/** What the view needs to know about training now: the checkpoint of the run in progress, if any. */
export interface ActiveRunSource {
  readonly activeCheckpoint: string | undefined;
  readonly onDidChangeRun: vscode.Event<void>;
}

const REFRESH_DEBOUNCE_MS = 300;

export class ModelsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly summaries = fileSummaries;
  private groups: GroupNode[] | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly parents = new Map<string, TreeNode>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runs: ActiveRunSource,
  ) {
    this.watch();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('looplens.modelsFolder')) {
          this.watch();
          this.refresh();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.refresh();
      }),
      runs.onDidChangeRun(() => this.refresh()),
    );
  }

  private folders(): ModelFolder[] {
    return modelFolders(this.context);
  }

  /** One watcher per folder LoopLens looks in (the shipped folder never changes). */
  private watch(): void {
    this.watchers.forEach((w) => w.dispose());
    this.watchers = [];
    const patterns: vscode.RelativePattern[] = [];
    for (const ws of vscode.workspace.workspaceFolders ?? []) patterns.push(new vscode.RelativePattern(ws, '{models,runs}/**/*.{onnx,ckpt}'));
    const inWorkspace = (dir: string) => vscode.workspace.workspaceFolders?.some((ws) => !path.relative(ws.uri.fsPath, dir).startsWith('..'));
    for (const f of this.folders()) {
      if (f.source === SHIPPED_SOURCE || inWorkspace(f.dir)) continue;
      patterns.push(new vscode.RelativePattern(vscode.Uri.file(f.dir), '**/*.{onnx,ckpt}'));
    }
    for (const p of patterns) {
      const w = vscode.workspace.createFileSystemWatcher(p);
      w.onDidCreate(() => this.refresh());
      w.onDidChange(() => this.refresh());
      w.onDidDelete(() => this.refresh());
      this.watchers.push(w);
    }
  }

  /** Reads the folders again (debounced: a training run writes often). */
  refresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.groups = undefined;
      this.changed.fire(undefined);
    }, REFRESH_DEBOUNCE_MS);
  }

  private tree(): GroupNode[] {
    if (!this.groups) {
      const folders = this.folders();
      this.groups = buildTree(folders, findModelFiles(folders), findCheckpointFiles(folders), SHIPPED_SOURCE);
      this.parents.clear();
      const link = (n: TreeNode, parent: TreeNode | undefined) => {
        if (parent) this.parents.set(n.id, parent);
        if (n.kind === 'group') n.children.forEach((c) => link(c, n));
        if (n.kind === 'run') n.models.forEach((c) => link(c, n));
      };
      this.groups.forEach((g) => link(g, undefined));
    }
    return this.groups;
  }

  /** Every model node now in the tree (for tests of the view and for finding a file's node). */
  modelNodes(): ModelNode[] {
    return this.tree().flatMap((g) => g.children.flatMap((c) => (c.kind === 'model' ? [c] : c.kind === 'run' ? c.models : [])));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.tree();
    if (node.kind === 'group') return node.children.length > 0 ? node.children : [{ kind: 'message', id: `${node.id}:empty`, label: node.empty }];
    if (node.kind === 'run') return node.models;
    return [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node.id);
  }

  async getTreeItem(node: TreeNode): Promise<vscode.TreeItem> {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.description = node.children.length > 0 ? String(node.children.length) : undefined;
        item.tooltip = node.dir;
        item.contextValue = node.id === 'group:runs' ? 'looplens.runs' : 'looplens.folder';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        return item;
      }
      case 'model':
        return this.modelItem(node);
      case 'run':
        return this.runItem(node);
    }
  }

  private async modelItem(node: ModelNode): Promise<vscode.TreeItem> {
    const s = await this.summaries.model(node.file.path);
    const item = new vscode.TreeItem(node.file.name, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.resourceUri = vscode.Uri.file(node.file.path);
    item.description = describeModel(s, node.file.name);
    const tip = new vscode.MarkdownString(modelTooltip(node.file.path, s));
    tip.isTrusted = false;
    item.tooltip = tip;
    item.iconPath = new vscode.ThemeIcon(s.kind === 'model' ? 'sync' : s.kind === 'foreign' ? 'file-binary' : 'warning');
    // looplens.model[.shipped][.foreign|.broken]: the menus decide what each offers
    item.contextValue = ['looplens.model', node.shipped ? 'shipped' : 'deletable', s.kind === 'model' ? 'runnable' : s.kind].join('.');
    item.command = { command: 'looplens.models.open', title: 'Open Model', arguments: [node] };
    item.accessibilityInformation = { label: `${node.file.name}: ${describeModel(s)}` };
    return item;
  }

  private async runItem(node: RunNode): Promise<vscode.TreeItem> {
    const s: CheckpointFileSummary = await this.summaries.checkpoint(node.file.path);
    const active = this.runs.activeCheckpoint !== undefined && path.resolve(this.runs.activeCheckpoint) === path.resolve(node.file.path);
    const item = new vscode.TreeItem(node.file.name, node.models.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.resourceUri = vscode.Uri.file(node.file.path);
    item.description = (active ? 'training now · ' : '') + describeCheckpoint(s);
    const finished = s.kind === 'checkpoint' && s.finished;
    item.iconPath = new vscode.ThemeIcon(active ? 'loading~spin' : s.kind === 'broken' ? 'warning' : finished ? 'pass' : 'debug-pause');
    const lines = [`**Training run** — ${node.file.name}.ckpt`, ''];
    if (s.kind === 'checkpoint') {
      lines.push(`- ${s.taskTitle}, ${s.shape}, ${s.preset} preset`, `- ${finished ? 'finished' : `stopped at step ${s.step.toLocaleString('en-US')} of ${s.totalSteps.toLocaleString('en-US')}`}${s.savedAt ? ` (saved ${new Date(s.savedAt).toLocaleString()})` : ''}`, `- ${trainedText(s.trained)}`);
      if (s.keepBranches) lines.push('- keeps each branch of its last stage as a model of its own');
      if (!finished && !active) lines.push('', 'Resume Training continues it from this checkpoint.');
    } else {
      lines.push(s.error);
    }
    item.tooltip = new vscode.MarkdownString(lines.join('\n'));
    item.contextValue = ['looplens.run', active ? 'active' : finished ? 'finished' : s.kind === 'broken' ? 'broken' : 'resumable'].join('.');
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watchers.forEach((w) => w.dispose());
    this.disposables.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
