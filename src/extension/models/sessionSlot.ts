// One ONNX Runtime session held per key (model path and settings): opened on first use, released
// when the key changes. A failed open is forgotten, so the next call tries again.
export class SessionSlot<T extends { release(): Promise<void> }> {
  private held: { key: string; session: Promise<T> } | undefined;

  get(key: string, open: () => Promise<T>): Promise<T> {
    if (this.held?.key !== key) {
      this.release();
      const opened = open();
      this.held = { key, session: opened };
      opened.catch(() => {
        if (this.held?.session === opened) this.held = undefined;
      });
    }
    return this.held.session;
  }

  release(): void {
    const h = this.held;
    this.held = undefined;
    void h?.session.then((x) => x.release()).catch(() => undefined);
  }
}
