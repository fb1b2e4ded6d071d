// Binary multiplication: a (n_a bits) x b (n_b bits), operands MSB first, n_a+n_b answer bits LSB first.
// 2 x 12: x `1 0 2 1 1 0 0 5 3 ...` y `_x7 0 0 0 1 1 0 3 ...`. T = n_a * n_b. Training: n_a in {1,2}.
import { bitsMsbToDecimal, multiplyBitsLsb, randomBits } from './bits';
import { countBuckets } from './cases';
import { cleanText, defineTask, parseBits } from './defineTask';
import { TaskInputError } from './types';

const TIMES = 2;
const PAD = 3;
const IGNORE = 4;
const EQ = 5;
const SYNTAX = '10x1100';
// Ones of a say what the answer is: 0, a shifted copy of b, or a sum of shifted copies (with carries).
const ONES = countBuckets([0, 1, 2]);

function operands(prompt: readonly number[]): [number[], number[]] {
  const at = prompt.indexOf(TIMES);
  return [prompt.slice(0, at), prompt.slice(at + 1, prompt.length - 1)];
}

export const multiplication = defineTask({
  name: 'multiplication',
  title: 'Binary multiplication',
  description: 'Multiply an n_a-bit by an n_b-bit binary number (operands MSB first); the answer has n_a+n_b bits, least significant bit first.',
  inputSyntax: SYNTAX,
  vocabSize: 6,
  symbols: ['0', '1', 'x', '.', '_', '='],
  tokens: { pad: PAD, equals: EQ, ignore: IGNORE, operator: TIMES },
  readIn: 'linear',
  paperBlock: { layers: 4, heads: 8 },
  curriculum: { start: 2, interval: 500, end: 12 },
  testLength: 15,
  lengthNames: ['n_a', 'n_b'],
  adaptiveExtraSteps: 30,
  rowWidth: (maxLen) => 4 * maxLen,
  horizon: (nPoints) => 2 * nPoints,
  steps: ([na, nb]) => na! * nb!,
  mainLength: ([, nb]) => nb!,
  minWidth: ([na, nb]) => 2 * (na! + nb!) + 1,
  sampleLengths: (rng, nPoints, atLongest) => [rng.int(1, 2), atLongest ? nPoints - 1 : rng.int(1, nPoints - 1)],
  samplePrompt: (rng, [na, nb]) => [...randomBits(rng, na!), TIMES, ...randomBits(rng, nb!), EQ],
  lengthsOf: (prompt) => operands(prompt).map((o) => o.length),
  solve: (prompt) => {
    const [a, b] = operands(prompt);
    return multiplyBitsLsb([...a].reverse(), [...b].reverse());
  },
  parsePrompt: (text) => {
    const clean = cleanText('multiplication', text, SYNTAX).replace(/[*X×]/g, 'x');
    const parts = clean.split('x');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new TaskInputError(`multiplication input must be two binary numbers joined by 'x' (or '*'), e.g. ${SYNTAX} (2x12); got "${text}"`);
    }
    return [...parseBits('multiplication', parts[0]!, SYNTAX, 'operand'), TIMES, ...parseBits('multiplication', parts[1]!, SYNTAX, 'operand'), EQ];
  },
  separator: '',
  gloss: (prompt, answer) => {
    const [a, b] = operands(prompt);
    return `${bitsMsbToDecimal(a)} × ${bitsMsbToDecimal(b)} = ${bitsMsbToDecimal([...answer].reverse())} (answer LSB first)`;
  },
  cases: {
    title: '1 bits in a (1: a shifted b; 2+: a sum of shifted b)',
    labels: ONES.labels,
    of: (prompt) => ONES.label(operands(prompt)[0].filter((bit) => bit === 1).length),
  },
});
