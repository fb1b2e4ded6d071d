// Copy: repeat the input. x `0 0 0 2 3 3 3 3`, y `_ _ _ 0 0 0 3 3` (answer starts at '='). T(n) = n.
import { randomBits } from './bits';
import { cleanText, defineTask, oneLengthN, parseBits } from './defineTask';

const EQ = 2;
const PAD = 3;
const IGNORE = 4;
const SYNTAX = '0110';

export const copy = defineTask({
  name: 'copy',
  title: 'Copy',
  description: 'Output the input bits again, in the same order.',
  inputSyntax: SYNTAX,
  vocabSize: 6,
  symbols: ['0', '1', '=', '.', '_', '<5>'],
  tokens: { pad: PAD, equals: EQ, ignore: IGNORE },
  readIn: 'linear',
  paperBlock: { layers: 2, heads: 8 },
  curriculum: { start: 2, interval: 1000, end: 20 },
  testLength: 30,
  ...oneLengthN,
  adaptiveExtraSteps: 20,
  rowWidth: (maxLen) => 2 * maxLen,
  minWidth: ([n]) => 2 * n!,
  samplePrompt: (rng, [n]) => [...randomBits(rng, n!), EQ],
  lengthsOf: (prompt) => [prompt.length - 1],
  solve: (prompt) => prompt.slice(0, -1),
  parsePrompt: (text) => [...parseBits('copy', cleanText('copy', text, SYNTAX), SYNTAX), EQ],
  separator: '',
  gloss: (prompt) => `copy of ${prompt.length - 1} bits`,
});
