// Attention slices arrive from the host one (step, layer) at a time; this keeps the decoded
// Float32Arrays, asks for a missing one once, and prefetches the neighbours while stepping.
import type { StepperToHost } from '../../src/protocol/stepper';

export function decodeFloat32Base64(data: string): Float32Array {
  const bin = atob(data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float32Array(bytes.buffer, 0, bytes.length >> 2);
}

export class AttentionCache {
  private readonly slices = new Map<string, Float32Array>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly post: (m: StepperToHost) => void,
    private readonly steps: number,
  ) {}

  private key(step: number, layer: number): string {
    return `${step}:${layer}`;
  }

  /** The slice [heads, width, width], or undefined after asking the host for it. */
  get(step: number, layer: number): Float32Array | undefined {
    const k = this.key(step, layer);
    const hit = this.slices.get(k);
    if (!hit) this.request(step, layer);
    return hit;
  }

  prefetch(step: number, layer: number): void {
    for (const s of [step + 1, step - 1]) if (s >= 1 && s <= this.steps && !this.slices.has(this.key(s, layer))) this.request(s, layer);
  }

  receive(step: number, layer: number, data: string): void {
    const k = this.key(step, layer);
    this.pending.delete(k);
    this.slices.set(k, decodeFloat32Base64(data));
  }

  private request(step: number, layer: number): void {
    const k = this.key(step, layer);
    if (this.pending.has(k)) return;
    this.pending.add(k);
    this.post({ type: 'needAttention', step, layer });
  }
}
