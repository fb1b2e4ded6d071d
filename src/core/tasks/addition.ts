// Binary addition, both operands n bits MSB first (leading zeros allowed), n+1 answer bits MSB first.
// 14+5, n=4: x `1 1 1 0 2 0 1 0 1 5 3 ...`  y `_x9 1 0 0 1 1 3`.
// T(n) = n: the paper's proposition says n+1 steps, its experiments (which we match) use n.
import { addBitsLsb, bitsMsbToDecimal, longestCarryChain, randomBits } from './bits';
import { countBuckets } from './cases';
import { cleanText, defineTask, oneLengthN, parseBits } from './defineTask';
import { TaskInputError } from './types';

const PLUS = 2;
const PAD = 3;
const IGNORE = 4;
const EQ = 5;
const SYNTAX = '1110+0101';
const CARRY_CHAIN = countBuckets([0, 1, 3, 6]);

function operands(prompt: readonly number[]): [number[], number[]] {
  const n = (prompt.length - 2) / 2;
  return [prompt.slice(0, n), prompt.slice(n + 1, 2 * n + 1)];
}

export const addition = defineTask({
  name: 'addition',
  title: 'Binary addition',
  description: 'Add two n-bit binary numbers (most significant bit first); the answer has n+1 bits, MSB first.',
  inputSyntax: SYNTAX,
  vocabSize: 6,
  symbols: ['0', '1', '+', '.', '_', '='],
  tokens: { pad: PAD, equals: EQ, ignore: IGNORE, operator: PLUS },
  readIn: 'linear',
  paperBlock: { layers: 3, heads: 8 },
  curriculum: { start: 2, interval: 1600, end: 20 },
  testLength: 30,
  ...oneLengthN,
  adaptiveExtraSteps: 20,
  rowWidth: (maxLen) => 3 * maxLen,
  minWidth: ([n]) => 3 * n! + 2,
  samplePrompt: (rng, [n]) => [...randomBits(rng, n!), PLUS, ...randomBits(rng, n!), EQ],
  lengthsOf: (prompt) => [(prompt.length - 2) / 2],
  solve: (prompt) => {
    const [a, b] = operands(prompt);
    return addBitsLsb([...a].reverse(), [...b].reverse()).reverse();
  },
  parsePrompt: (text) => {
    const clean = cleanText('addition', text, SYNTAX);
    const parts = clean.split('+');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new TaskInputError(`addition input must be two binary numbers joined by '+', e.g. ${SYNTAX} (14+5); got "${text}"`);
    }
    let a = parseBits('addition', parts[0]!, SYNTAX, 'operand');
    let b = parseBits('addition', parts[1]!, SYNTAX, 'operand');
    // Operands share one length n; the shorter one gets leading zeros, as the paper allows.
    const n = Math.max(a.length, b.length);
    a = [...new Array<number>(n - a.length).fill(0), ...a];
    b = [...new Array<number>(n - b.length).fill(0), ...b];
    return [...a, PLUS, ...b, EQ];
  },
  separator: '',
  gloss: (prompt, answer) => {
    const [a, b] = operands(prompt);
    return `${bitsMsbToDecimal(a)} + ${bitsMsbToDecimal(b)} = ${bitsMsbToDecimal(answer)} (answer MSB first)`;
  },
  cases: {
    title: 'longest carry chain',
    labels: CARRY_CHAIN.labels,
    of: (prompt) => CARRY_CHAIN.label(longestCarryChain(...operands(prompt))),
  },
});
