// Lets background work (the full content: length-calibrated stop, probes) give way while someone
// is using the session: `touch()` on every request, and the background work awaits `wait()` at its
// pauses, which resolves once no request came for `quietMs`.
export class IdleGate {
  private last = 0;

  constructor(private readonly quietMs = 250) {}

  touch(): void {
    this.last = Date.now();
  }

  async wait(): Promise<void> {
    for (;;) {
      const left = this.last + this.quietMs - Date.now();
      if (left <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }
}
