import assert from 'node:assert/strict';
import test from 'node:test';
import { parseDecimal } from '../../../src/core/util/decimalText';

test('parseDecimal reads decimal and scientific notation, white space around it ignored', () => {
  for (const [text, v] of [['1e-3', 0.001], [' 0.5 ', 0.5], ['.25', 0.25], ['3.', 3], ['+2E2', 200], ['-1', -1], ['0', 0]] as const) assert.equal(parseDecimal(text), v, text);
});

test('parseDecimal refuses what Number() would read but a person did not mean as a number', () => {
  for (const text of ['', ' ', '0x10', '0b1', 'Infinity', '1e', 'e3', '1,5', '1e400', 'NaN', '1 2']) assert.equal(parseDecimal(text), null, JSON.stringify(text));
});
