// Test lengths as typed into Train's final evaluation and Evaluate Length Generalization's boxes.
// No vscode import.
/** "10, 20,30" → [10, 20, 30]; throws an Error whose message can be shown as input validation. */
export function parseLengths(text: string, max = 500): number[] {
  const items = text.split(/[\s,]+/).filter((s) => s !== '');
  if (items.length === 0) throw new Error('give at least one length, e.g. 10, 20, 30, 40');
  const out: number[] = [];
  for (const item of items) {
    const range = /^(\d+)\s*(?:\.\.|-)\s*(\d+)$/.exec(item);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a < 1 || b < a) throw new Error(`"${item}" is not a range of lengths like 5..10`);
      for (let n = a; n <= b; n++) out.push(n);
      continue;
    }
    if (!/^\d+$/.test(item) || Number(item) < 1) throw new Error(`"${item}" is not a positive whole number`);
    out.push(Number(item));
  }
  const bad = out.find((n) => n > max);
  if (bad !== undefined) throw new Error(`length ${bad} is too long (at most ${max})`);
  if (out.length > 60) throw new Error(`${out.length} lengths is too many for one evaluation (at most 60)`);
  return [...new Set(out)].sort((a, b) => a - b);
}
