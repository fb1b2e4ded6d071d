// LoopLens's layers, enforced by ESLint (rule `looplens/layers`). Each source file belongs to the
// layer whose folder is the longest prefix of its path; it may import its own layer and the layers
// listed for it, nothing else. Tests and scripts are outside every layer and may import anything.
// README.md ("Project layout") shows the same table.
import * as path from 'node:path';

const CORE_BASE = ['src/core/util'];
const CORE_FOUNDATION = [...CORE_BASE, 'src/core/onnx', 'src/core/autodiff', 'src/core/optim', 'src/core/tasks', 'src/core/programs/tasks'];

/** folder → folders it may import (besides itself). `*` stands for any one folder name. */
export const LAYERS = {
  'src/core/util': [],
  'src/core/onnx': CORE_BASE,
  'src/core/autodiff': [...CORE_BASE, 'src/core/onnx'],
  'src/core/optim': [...CORE_BASE, 'src/core/onnx', 'src/core/autodiff'],
  // RASP-L, the language, knows nothing of tasks or models; src/core/programs connects it to them.
  'src/core/rasp': CORE_BASE,
  'src/core/tasks': CORE_BASE,
  'src/core/programs/tasks': [...CORE_BASE, 'src/core/rasp', 'src/core/tasks'],
  'src/core/model': CORE_FOUNDATION,
  'src/core/infer': [...CORE_FOUNDATION, 'src/core/model'],
  'src/core/eval': [...CORE_FOUNDATION, 'src/core/model', 'src/core/infer'],
  'src/core/trace': [...CORE_FOUNDATION, 'src/core/model', 'src/core/infer', 'src/core/eval'],
  'src/core/train': [...CORE_FOUNDATION, 'src/core/model', 'src/core/infer', 'src/core/eval'],
  'src/core/programs/compare': [...CORE_FOUNDATION, 'src/core/rasp', 'src/core/model', 'src/core/infer'],
  'src/core/programs/source': [...CORE_FOUNDATION, 'src/core/rasp', 'src/core/model', 'src/core/infer', 'src/core/programs/compare'],
  'src/core/view': ['src/core'],
  // The debugger's session model (no DAP, no vscode): reads the stepper's content (view) for one input.
  'src/core/debug': ['src/core'],
  // Exports: a panel's tables, a trace as JSON. Built from view models and core results, written by hosts.
  'src/core/export': ['src/core'],
  // The protocol carries core's data shapes: it may name core types, never run core code.
  'src/protocol': [{ folder: 'src/core', typesOnly: true }],
  'src/cli': ['src/core'],
  'src/extension': ['src/core', 'src/protocol', 'vscode'],
  // Pages get every value they need in messages: they import the protocol's types and shared page code.
  'webview/shared': ['src/protocol'],
  'webview/charts': ['src/protocol', 'webview/shared'],
  'webview/*': ['src/protocol', 'webview/shared', 'webview/charts'],
  'webview': ['src/protocol', 'webview'],
};

const ALLOWED = Object.entries(LAYERS).map(([folder, allows]) => ({
  folder,
  allows: allows.map((a) => (typeof a === 'string' ? { folder: a, typesOnly: false } : a)),
}));

/** The layer pattern `folder` matches `rel` (a repo-relative path with /), as the concrete folder it stands for; else null. */
function matchFolder(folder, rel) {
  const want = folder.split('/');
  const got = rel.split('/');
  if (got.length <= want.length) return null; // a file inside the folder, not the folder itself
  for (let i = 0; i < want.length; i++) if (want[i] !== '*' && want[i] !== got[i]) return null;
  return got.slice(0, want.length).join('/');
}

/** The layer of a repo-relative path: the longest matching folder, or null outside every layer. */
export function layerOf(rel) {
  let best = null;
  for (const layer of ALLOWED) {
    const concrete = matchFolder(layer.folder, rel);
    if (concrete === null) continue;
    const depth = concrete.split('/').length;
    const bestDepth = best?.concrete.split('/').length ?? -1;
    // Deeper folders win; at equal depth a named folder wins over a `*`.
    if (depth > bestDepth || (depth === bestDepth && !layer.folder.includes('*'))) best = { ...layer, concrete };
  }
  return best;
}

function isUnder(rel, folder) {
  return rel === folder || rel.startsWith(`${folder}/`);
}

/** Why `fromRel` may not import `target` (a repo-relative path, or 'vscode'), or null when it may. */
export function layerViolation(fromRel, target, typeOnly) {
  const from = layerOf(fromRel);
  if (!from) return null;
  if (target === 'vscode') {
    return from.allows.some((a) => a.folder === 'vscode') ? null : `${from.concrete} must not import vscode: only src/extension runs inside VS Code.`;
  }
  if (isUnder(target, from.concrete)) return null;
  const allowed = from.allows.find((a) => a.folder !== 'vscode' && isUnder(target, a.folder));
  if (allowed && (!allowed.typesOnly || typeOnly)) return null;
  const to = layerOf(target)?.concrete ?? target;
  if (allowed) return `${from.concrete} may import only types from ${allowed.folder} (use \`import type\`): ${to} is a value import.`;
  const list = from.allows.map((a) => a.folder + (a.typesOnly ? ' (types)' : '')).join(', ') || 'nothing outside itself';
  return `${from.concrete} must not import ${to}: it may import ${list} (layers: scripts/lint/layers.mjs).`;
}

function importIsTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

const rule = {
  meta: { type: 'problem', docs: { description: "enforce LoopLens's layers (which folder may import which)" }, schema: [] },
  create(context) {
    const root = context.cwd;
    const fromRel = path.relative(root, context.filename).split(path.sep).join('/');
    if (fromRel.startsWith('..')) return {};
    const check = (node, source, typeOnly) => {
      if (!source || typeof source.value !== 'string') return;
      const spec = source.value;
      if (!spec.startsWith('.') && spec !== 'vscode') return; // packages: only vscode is a layer
      const target = spec === 'vscode' ? spec : path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), spec));
      const problem = layerViolation(fromRel, target, typeOnly);
      if (problem) context.report({ node: source, message: problem });
    };
    const layered = fromRel.startsWith('src/') || fromRel.startsWith('webview/');
    return {
      Program: (node) => {
        if (layered && !layerOf(fromRel)) context.report({ node, message: `${fromRel} is in no layer: add its folder to LAYERS in scripts/lint/layers.mjs.` });
      },
      ImportDeclaration: (node) => check(node, node.source, importIsTypeOnly(node)),
      ExportNamedDeclaration: (node) => check(node, node.source, importIsTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
    };
  },
};

export default { rules: { layers: rule } };
