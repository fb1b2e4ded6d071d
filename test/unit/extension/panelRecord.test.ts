// The host's panel records (src/extension/panels/panelRecord.ts): read back what was written, and a
// panel's writer skips a record it already wrote, so frequent states do not rewrite workspaceState.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { PanelRecord } from '../../../src/extension/panels/panelRecord';

function memento(): { store: vscode.Memento; updates: unknown[] } {
  const values = new Map<string, unknown>();
  const updates: unknown[] = [];
  const store = {
    keys: () => [...values.keys()],
    get: (key: string) => values.get(key),
    update: (key: string, value: unknown) => {
      updates.push(value);
      values.set(key, value);
      return Promise.resolve();
    },
  } as unknown as vscode.Memento;
  return { store, updates };
}

test('a panel record is neither read nor written before it has a store', () => {
  const r = new PanelRecord<{ setup: object }>('k');
  r.write({ setup: {} });
  assert.equal(r.read(), undefined);
});

test('a writer skips the record it wrote last, by its identity; another writer writes again', () => {
  const { store, updates } = memento();
  const r = new PanelRecord<{ setup: { n: number } }>('k');
  r.keepIn(store);
  const setup = { n: 1 };
  const byObject = r.writer((x) => x.setup);
  byObject({ setup });
  byObject({ setup });
  assert.equal(updates.length, 1);
  byObject({ setup: { n: 1 } });
  assert.equal(updates.length, 2, 'a new setup object is another identity');
  const byText = r.writer((x) => JSON.stringify(x));
  byText({ setup: { n: 1 } });
  byText({ setup: { n: 1 } });
  assert.equal(updates.length, 3);
  byText({ setup: { n: 2 } });
  assert.deepEqual(r.read(), { setup: { n: 2 } });
});
