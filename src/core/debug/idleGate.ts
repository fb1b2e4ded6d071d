// Lets background work (the full content: length-calibrated stop, probes) give way while someone
// is using the session: `touch()` on every request, `during()` around a long one (a probe), and the
// background work awaits `wait()` at its pauses, which resolves once no request is in flight and
// none came for `quietMs`.
export class IdleGate {
  private last = 0;
  private inFlight = 0;

  constructor(private readonly quietMs = 250) {}

  touch(): void {
    this.last = Date.now();
  }

  /** Keeps the gate shut until `work` settles. */
  async during<T>(work: Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work;
    } finally {
      this.inFlight--;
      this.touch();
    }
  }

  async wait(): Promise<void> {
    for (;;) {
      const left = this.inFlight > 0 ? this.quietMs : this.last + this.quietMs - Date.now();
      if (left <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }
}
