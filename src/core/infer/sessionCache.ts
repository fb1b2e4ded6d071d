// Compiled ONNX Runtime sessions kept per key (a training graph's batch, width and horizon): the
// `max` most recently used stay open and older ones are released, since a run's shape changes with
// its curriculum; a failed open is forgotten, so the next call tries again.
import type { OpenedSession } from './executionProvider';

export class SessionCache {
  private readonly sessions = new Map<string, Promise<OpenedSession>>();

  constructor(private readonly max: number) {}

  /** The session for `key`, opened with `open` unless one is held. */
  get(key: string, open: () => Promise<OpenedSession>): Promise<OpenedSession> {
    let s = this.sessions.get(key);
    if (s) {
      this.sessions.delete(key); // re-insert: most recently used last
      this.sessions.set(key, s);
      return s;
    }
    s = open();
    this.sessions.set(key, s);
    s.catch(() => this.sessions.delete(key));
    while (this.sessions.size > this.max) {
      const [oldKey, old] = this.sessions.entries().next().value as [string, Promise<OpenedSession>];
      this.sessions.delete(oldKey);
      void old.then((o) => o.session.release()).catch(() => undefined);
    }
    return s;
  }

  /** Every session held now. */
  held(): Promise<OpenedSession>[] {
    return [...this.sessions.values()];
  }

  /** Releases every session held. */
  async releaseAll(): Promise<void> {
    const all = this.held();
    this.sessions.clear();
    await Promise.all(all.map((s) => s.then((o) => o.session.release()).catch(() => undefined)));
  }
}
