// The layer rule (scripts/lint/layers.mjs) run through ESLint with the repository's own config, on
// a wrong import in each direction and on the imports the layers allow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'looplens/layers').map((m) => m.message);
}

const wrong: [string, string, RegExp][] = [
  ['src/core/model/x.ts', "import { a } from '../../protocol/stepper';\nexport const b = a;\n", /src\/core\/model must not import src\/protocol/],
  ['src/core/model/x.ts', "import { a } from '../../extension/settings';\nexport const b = a;\n", /must not import src\/extension/],
  ['src/core/train/x.ts', "import { a } from '../../cli/main';\nexport const b = a;\n", /must not import src\/cli/],
  ['src/core/infer/x.ts', "import * as vscode from 'vscode';\nexport const b = vscode;\n", /must not import vscode/],
  ['src/cli/x.ts', "import * as vscode from 'vscode';\nexport const b = vscode;\n", /must not import vscode/],
  ['src/core/infer/x.ts', "import { a } from '../train/trainer';\nexport const b = a;\n", /src\/core\/infer must not import src\/core\/train/],
  ['src/core/model/x.ts', "import { a } from '../view/stepperViewModel';\nexport const b = a;\n", /src\/core\/model must not import src\/core\/view/],
  ['src/core/rasp/x.ts', "import type { Task } from '../tasks/types';\nexport type T = Task;\n", /src\/core\/rasp must not import src\/core\/tasks/],
  ['src/core/tasks/x.ts', "import { a } from '../rasp/parser';\nexport const b = a;\n", /src\/core\/tasks must not import src\/core\/rasp/],
  ['src/protocol/x.ts', "import { a } from '../core/model/config';\nexport const b = a;\n", /only types from src\/core/],
  ['src/protocol/x.ts', "import { a } from '../extension/settings';\nexport const b = a;\n", /src\/protocol must not import src\/extension/],
  ['src/cli/x.ts', "import { a } from '../extension/settings';\nexport const b = a;\n", /src\/cli must not import src\/extension/],
  ['src/extension/x.ts', "import { a } from '../cli/main';\nexport const b = a;\n", /src\/extension must not import src\/cli/],
  ['webview/stepper/x.ts', "import type { Task } from '../../src/core/tasks/types';\nexport type T = Task;\n", /webview\/stepper must not import src\/core/],
  ['webview/training/x.ts', "import { a } from '../stepper/app';\nexport const b = a;\n", /webview\/training must not import webview\/stepper/],
  ['webview/shared/x.ts', "import { a } from '../stepper/app';\nexport const b = a;\n", /webview\/shared must not import webview\/stepper/],
  ['webview/stepper/x.ts', "import { a } from '../../src/extension/settings';\nexport const b = a;\n", /must not import src\/extension/],
  ['src/core/newfolder/x.ts', 'export const b = 1;\n', /is in no layer/],
  ['src/core/debug/x.ts', "import * as vscode from 'vscode';\nexport const b = vscode;\n", /src\/core\/debug must not import vscode/],
  ['src/core/debug/x.ts', "import { a } from '../../extension/debug/looplensDebugSession';\nexport const b = a;\n", /src\/core\/debug must not import src\/extension/],
];

for (const [file, code, message] of wrong) {
  test(`lint rejects: ${file}: ${code.split('\n')[0]}`, async () => {
    const errors = await layerErrors(file, code);
    assert.equal(errors.length, 1, `expected one layer error, got ${JSON.stringify(errors)}`);
    assert.match(errors[0]!, message);
  });
}

const allowed: [string, string][] = [
  ['src/core/model/x.ts', "import { a } from '../onnx/graph';\nimport { b } from '../tasks/types';\nexport const c = [a, b];\n"],
  ['src/core/view/x.ts', "import { a } from '../programs/compare/agreement';\nexport const c = a;\n"],
  ['src/core/debug/x.ts', "import { a } from '../view/stepperContent';\nimport { b } from '../rasp/watch';\nexport const c = [a, b];\n"],
  ['src/protocol/x.ts', "import type { A } from '../core/model/config';\nexport type B = A;\n"],
  ['src/extension/x.ts', "import * as vscode from 'vscode';\nimport type { A } from '../protocol/stepper';\nimport { b } from '../core/model/config';\nexport const c = [vscode, b];\nexport type D = A;\n"],
  ['src/cli/x.ts', "import { b } from '../core/model/config';\nexport const c = b;\n"],
  ['webview/stepper/x.ts', "import type { A } from '../../src/protocol/stepper';\nimport { b } from '../shared/dom';\nexport const c = b;\nexport type D = A;\n"],
  ['webview/stepper.entry.ts', "import { a } from './stepper/app';\nexport const c = a;\n"],
];

for (const [file, code] of allowed) {
  test(`lint allows: ${file}: ${code.split('\n')[0]}`, async () => {
    assert.deepEqual(await layerErrors(file, code), []);
  });
}
