// One line at a time from a stream, each handled to the end before the next is read.
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';

export function readLines(stream: Readable, handle: (line: string) => Promise<void>): void {
  const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let chain = Promise.resolve();
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    chain = chain.then(() => handle(line));
  });
}
