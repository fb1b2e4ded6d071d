// Text from other tools and other people's files, made fit to print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printableText, stripAnsi } from '../../../src/core/util/plainText';
import { recordedInitText } from '../../../src/core/train/trainRecord';

const ESC = String.fromCharCode(27);

test('stripAnsi drops colour codes and keeps the text', () => {
  assert.equal(stripAnsi(`${ESC}[31mred${ESC}[0m plain`), 'red plain');
});

test('printableText shows control characters as ? and cuts at the limit', () => {
  assert.equal(printableText(`a${ESC}[2Jb\nc\u0085d\u00e9`), 'a?[2Jb?c?dé');
  assert.equal(printableText('x'.repeat(300)).length, 200);
  assert.equal(printableText('abcdef', 3), 'abc');
});

test("recordedInitText states a recorded starting point, printable whatever the name; nothing for a run from scratch or a malformed record", () => {
  assert.equal(recordedInitText({ initFrom: { model: 'runs/m.onnx', weightsCrc32: 0xa18eddc6, stepsBefore: 36000 } }), 'the weights of runs/m.onnx (36000 steps trained), CRC-32 a18eddc6');
  assert.equal(recordedInitText({ initFrom: { model: `m${ESC}[2J.onnx`, weightsCrc32: 15 } }), 'the weights of m?[2J.onnx, CRC-32 0000000f');
  assert.equal(recordedInitText({ task: 'parity' }), undefined);
  assert.equal(recordedInitText({ initFrom: { model: 7, weightsCrc32: 1 } }), undefined);
  assert.equal(recordedInitText(null), undefined);
});
