// Unique set: keep the first occurrence of each element, in order. Elements 0..49, 51 '=', 52 ignored,
// 53 pad, vocabulary 60. n=5: x `26 22 2 2 1 51 53 ...` y `_x5 26 22 2 1 53 53`. T(n) = n.
import { countBuckets } from './cases';
import { cleanText, defineTask, oneLengthN } from './defineTask';
import { TaskInputError } from './types';

const ELEMENTS = 50;
const EQ = 51;
const IGNORE = 52;
const PAD = 53;
const VOCAB = 60;
const SYNTAX = '26 22 2 2 1';
// Repeats are what the task is about: an input without them is a plain copy.
const REPEATS = countBuckets([0, 1, 2]);

const symbols: string[] = [];
for (let t = 0; t < VOCAB; t++) symbols.push(t < ELEMENTS ? String(t) : t === EQ ? '=' : t === IGNORE ? '_' : t === PAD ? '.' : `<${t}>`);

export const uniqueSet = defineTask({
  name: 'unique_set',
  title: 'Unique set',
  description: 'Output the distinct elements (0..49) of the input in order of first occurrence.',
  inputSyntax: SYNTAX,
  vocabSize: VOCAB,
  symbols,
  tokens: { pad: PAD, equals: EQ, ignore: IGNORE },
  readIn: 'embedding',
  paperBlock: { layers: 3, heads: 8 },
  curriculum: { start: 2, interval: 1000, end: 20 },
  testLength: 30,
  ...oneLengthN,
  adaptiveExtraSteps: 30,
  rowWidth: (maxLen) => 2 * maxLen,
  minWidth: ([n]) => 2 * n!,
  samplePrompt: (rng, [n]) => {
    const items: number[] = [];
    for (let i = 0; i < n!; i++) items.push(rng.below(ELEMENTS));
    return [...items, EQ];
  },
  // Uniform draws over 50 elements repeat few of them; a random alphabet of K elements repeats
  // n - K or more, and K uniform in 1..50 spans every repeat count from none to n - 1 (K = 1).
  hardPrompts: {
    description: `inputs over a random alphabet of 1 to ${ELEMENTS} elements (many repeats)`,
    samplePrompt: (rng, [n]) => {
      const size = 1 + rng.below(ELEMENTS);
      const alphabet = rng.shuffle(Array.from({ length: ELEMENTS }, (_, i) => i)).slice(0, size);
      const items: number[] = [];
      for (let i = 0; i < n!; i++) items.push(alphabet[rng.below(alphabet.length)]!);
      return [...items, EQ];
    },
  },
  // Uniform draws of 19 elements fill about 16 answer slots, so the last ones are seldom trained;
  // n different elements (drawn without replacement) fill all n.
  distinctPrompts: {
    description: 'inputs of n different elements (no repeats, so all n answer slots filled)',
    maxLength: ELEMENTS,
    samplePrompt: (rng, [n]) => [...rng.shuffle(Array.from({ length: ELEMENTS }, (_, i) => i)).slice(0, n!), EQ],
  },
  lengthsOf: (prompt) => [prompt.length - 1],
  solve: (prompt) => {
    const seen = new Set<number>();
    const out: number[] = [];
    for (const t of prompt.slice(0, -1)) {
      if (!seen.has(t)) {
        seen.add(t);
        out.push(t);
      }
    }
    return out;
  },
  parsePrompt: (text) => {
    const clean = cleanText('unique_set', text.replace(/,/g, ' '), SYNTAX, true);
    const items = clean.split(' ').map((s) => {
      if (!/^\d+$/.test(s) || Number(s) >= ELEMENTS) {
        throw new TaskInputError(`unique_set input must be integers 0..${ELEMENTS - 1} separated by spaces or commas (e.g. ${SYNTAX}); got "${s}"`);
      }
      return Number(s);
    });
    return [...items, EQ];
  },
  separator: ' ',
  gloss: (prompt, answer) => `${answer.length} distinct of ${prompt.length - 1} elements`,
  cases: {
    title: 'repeated elements',
    labels: REPEATS.labels,
    of: (prompt) => REPEATS.label(prompt.length - 1 - new Set(prompt.slice(0, -1)).size),
  },
});
