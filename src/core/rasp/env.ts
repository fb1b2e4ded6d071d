// Variable scopes: a chain of maps (function locals → globals → builtins).
import type { Value } from './values';

export class Env {
  private readonly vars = new Map<string, Value>();

  constructor(readonly parent: Env | null = null) {}

  lookup(name: string): Value | undefined {
    const v = this.vars.get(name);
    if (v !== undefined) return v;
    return this.parent === null ? undefined : this.parent.lookup(name);
  }

  set(name: string, value: Value): void {
    this.vars.set(name, value);
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  /** Own variables in first-assignment order. */
  entries(): IterableIterator<[string, Value]> {
    return this.vars.entries();
  }
}
