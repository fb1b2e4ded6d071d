// Bit-array helpers for the binary tasks. Arithmetic is done on bit arrays (not JS numbers),
// so operands of any length work; tests check the results independently with BigInt.
import type { Rng } from '../util/rng';

export function randomBits(rng: Rng, n: number): number[] {
  const bits = new Array<number>(n);
  for (let i = 0; i < n; i++) bits[i] = rng.bit();
  return bits;
}

/** Sum of two LSB-first bit arrays of equal length; result has length+1 bits, LSB first. */
export function addBitsLsb(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let carry = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const s = (a[i] ?? 0) + (b[i] ?? 0) + carry;
    out.push(s & 1);
    carry = s >> 1;
  }
  out.push(carry);
  return out;
}

/** Product of two LSB-first bit arrays; result has a.length + b.length bits, LSB first (shift-and-add). */
export function multiplyBitsLsb(a: readonly number[], b: readonly number[]): number[] {
  const acc = new Array<number>(a.length + b.length).fill(0);
  for (let j = 0; j < b.length; j++) {
    if (b[j] !== 1) continue;
    let carry = 0;
    for (let i = 0; i < a.length || carry; i++) {
      const s = acc[i + j]! + (a[i] ?? 0) + carry;
      acc[i + j] = s & 1;
      carry = s >> 1;
    }
  }
  return acc;
}

/** Non-negative integer → LSB-first bits without leading zeros (0 → []). */
export function toBitsLsbMinimal(value: number): number[] {
  const out: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 2)) out.push(v % 2);
  return out;
}

/** Display helper: MSB-first bit tokens → decimal string. */
export function bitsMsbToDecimal(bits: readonly number[]): string {
  let v = 0n;
  for (const b of bits) v = v * 2n + BigInt(b);
  return v.toString();
}

/**
 * The longest run of consecutive bit positions that carry out when adding two MSB-first operands
 * of one length: how far a carry has to travel, the hard part of addition.
 */
export function longestCarryChain(aMsb: readonly number[], bMsb: readonly number[]): number {
  let carry = 0;
  let run = 0;
  let longest = 0;
  for (let i = 1; i <= Math.max(aMsb.length, bMsb.length); i++) {
    carry = ((aMsb[aMsb.length - i] ?? 0) + (bMsb[bMsb.length - i] ?? 0) + carry) >> 1;
    run = carry ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
