// Binary sum: the number of 1 bits, written in binary LSB first with no leading zeros.
// n=3: x `1 1 0 5 3 ...` y `_ _ _ 0 1 3 ...`. A sum of 0 is an empty answer (all pads). T(n) = n.
import { randomBits, toBitsLsbMinimal } from './bits';
import { cleanText, defineTask, oneLengthN, parseBits } from './defineTask';

const PAD = 3;
const IGNORE = 4;
const EQ = 5;
const SYNTAX = '110';

export const binarySum = defineTask({
  name: 'binary_sum',
  title: 'Binary sum',
  description: 'Count the 1 bits of the input and write the count in binary, least significant bit first (a count of 0 is an empty answer).',
  inputSyntax: SYNTAX,
  vocabSize: 6,
  symbols: ['0', '1', '<2>', '.', '_', '='],
  tokens: { pad: PAD, equals: EQ, ignore: IGNORE },
  readIn: 'linear',
  paperBlock: { layers: 2, heads: 16 },
  curriculum: { start: 2, interval: 500, end: 20 },
  testLength: 24,
  ...oneLengthN,
  adaptiveExtraSteps: 20,
  rowWidth: (maxLen) => maxLen + 7,
  minWidth: ([n]) => n! + Math.max(1, toBitsLsbMinimal(n!).length),
  samplePrompt: (rng, [n]) => [...randomBits(rng, n!), EQ],
  lengthsOf: (prompt) => [prompt.length - 1],
  solve: (prompt) => toBitsLsbMinimal(prompt.slice(0, -1).filter((b) => b === 1).length),
  parsePrompt: (text) => [...parseBits('binary_sum', cleanText('binary_sum', text, SYNTAX), SYNTAX), EQ],
  separator: '',
  gloss: (prompt) => {
    const ones = prompt.slice(0, -1).filter((b) => b === 1).length;
    return `${ones} one${ones === 1 ? '' : 's'} (answer in binary, LSB first${ones === 0 ? '; empty for 0' : ''})`;
  },
});
