// A small seeded PRNG (xoshiro128**, seeded through splitmix32) so training data, initialisation
// and evaluation are reproducible from one integer seed. The state is four uint32 words, which
// makes it trivial to store in a checkpoint and restore exactly.

export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  private s: Uint32Array;
  private spareNormal: number | undefined;

  /** `seed` is any integer (taken modulo 2^32). The same seed always yields the same stream. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng seed must be a finite number, got ${seed}`);
    const next = splitmix32(Math.trunc(seed) >>> 0);
    this.s = Uint32Array.from([next(), next(), next(), next()]);
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1; // all-zero state is a fixed point
  }

  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    r.setState(state);
    return r;
  }

  /** Next raw uint32. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n) without modulo bias; n must be an integer in [1, 2^32]. */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new Error(`Rng.below needs an integer in [1, 2^32], got ${n}`);
    if (n === 1) return 0;
    const limit = 4294967296 - (4294967296 % n); // largest multiple of n that fits
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform integer in [lo, hi], BOTH ends inclusive (like Python's randint). */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) throw new Error(`Rng.int needs integers lo <= hi, got ${lo}, ${hi}`);
    return lo + this.below(hi - lo + 1);
  }

  /** Fair random bit (0 or 1). */
  bit(): number {
    return this.nextUint32() >>> 31;
  }

  /** Uniformly chosen element of a non-empty array. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.choice needs a non-empty array');
    return items[this.below(items.length)]!;
  }

  /** Standard normal sample scaled to N(mean, std^2) (Box-Muller; the spare value is kept). */
  normal(mean = 0, std = 1): number {
    let z: number;
    if (this.spareNormal !== undefined) {
      z = this.spareNormal;
      this.spareNormal = undefined;
    } else {
      let u = 0;
      while (u === 0) u = this.float();
      const v = this.float();
      const r = Math.sqrt(-2 * Math.log(u));
      z = r * Math.cos(2 * Math.PI * v);
      this.spareNormal = r * Math.sin(2 * Math.PI * v);
    }
    return mean + std * z;
  }

  /** In-place Fisher-Yates shuffle; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** An independent generator derived from this one's stream (advances this generator). */
  fork(): Rng {
    return new Rng((this.nextUint32() ^ Math.imul(this.nextUint32(), 0x9e3779b1)) >>> 0);
  }

  /** Snapshot of the generator state (JSON-safe). A pending Box-Muller spare is dropped on restore. */
  getState(): RngState {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  setState(state: RngState): void {
    if (!Array.isArray(state) || state.length !== 4 || !state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new Error('Rng state must be four uint32 integers');
    }
    if (state.every((w) => w === 0)) throw new Error('Rng state must not be all zeros');
    this.s = Uint32Array.from(state);
    this.spareNormal = undefined;
  }
}
