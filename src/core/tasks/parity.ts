// Parity: is the number of 1 bits odd? x `0 1 1 1 1 2 3 3`, y `_ _ _ _ _ 0 3 3` (answer at '='). T(n) = n.
import { cleanText, defineTask, oneLengthN, parseBits } from './defineTask';

const EQ = 2;
const PAD = 3;
const IGNORE = 5; // parity's ignored label is 5 (the other binary tasks use 4)
const SYNTAX = '1011';

export const parity = defineTask({
  name: 'parity',
  title: 'Parity',
  description: 'Output 1 when the input bits contain an odd number of ones, else 0.',
  inputSyntax: SYNTAX,
  vocabSize: 6,
  symbols: ['0', '1', '=', '.', '<4>', '_'],
  tokens: { pad: PAD, equals: EQ, ignore: IGNORE },
  readIn: 'linear',
  paperBlock: { layers: 1, heads: 64 },
  curriculum: { start: 2, interval: 500, end: 21 },
  testLength: 40,
  ...oneLengthN,
  adaptiveExtraSteps: 20,
  rowWidth: (maxLen) => maxLen,
  minWidth: ([n]) => n! + 1,
  samplePrompt: (rng, [n]) => {
    const bits: number[] = [];
    for (let i = 0; i < n!; i++) bits.push(rng.bit());
    return [...bits, EQ];
  },
  lengthsOf: (prompt) => [prompt.length - 1],
  solve: (prompt) => [prompt.slice(0, -1).reduce((acc, b) => acc ^ b, 0)],
  parsePrompt: (text) => [...parseBits('parity', cleanText('parity', text, SYNTAX), SYNTAX), EQ],
  separator: '',
  gloss: (prompt, answer) => {
    const ones = prompt.slice(0, -1).filter((b) => b === 1).length;
    return `${ones} one${ones === 1 ? '' : 's'} in ${prompt.length - 1} bits → ${answer[0] === 1 ? 'odd' : 'even'} (${answer[0]})`;
  },
});
