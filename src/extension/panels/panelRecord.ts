// The host's record of what one kind of panel shows, kept in the extension's workspaceState: a
// panel restored after a window reload takes its file paths from here, never from the state its
// page saved (panelRestore.ts). Written as the panel is given states, read when it is restored.
import type * as vscode from 'vscode';

const NONE = Symbol('nothing written yet');

export class PanelRecord<R> {
  private memento: vscode.Memento | undefined;

  constructor(private readonly key: string) {}

  /** Where the record is kept (set when the panel's serializer is registered); until then nothing is read or written. */
  keepIn(memento: vscode.Memento): void {
    this.memento = memento;
  }

  read(): R | undefined {
    return this.memento?.get<R>(this.key);
  }

  write(record: R): void {
    void this.memento?.update(this.key, record);
  }

  /** One panel's writer: skips a record whose `identity` is that of the last one it wrote (states come often, the record rarely changes). */
  writer(identity: (record: R) => unknown): (record: R) => void {
    let last: unknown = NONE;
    return (record) => {
      const id = identity(record);
      if (id === last) return;
      last = id;
      this.write(record);
    };
  }
}
