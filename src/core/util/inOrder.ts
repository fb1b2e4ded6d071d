// Keeps up to `ahead` asynchronous jobs running and hands their results back in the order the jobs
// came: a consumer that must add results in order still keeps several workers busy.

/**
 * Starts the jobs of `starts` (each a function that starts one) so that at most `ahead` are running
 * or held by the consumer at once, and yields each result in order. A job started ahead of a consumer
 * that stops early has its failure swallowed, not left unhandled.
 */
export async function* inOrder<T>(starts: Iterable<() => Promise<T>>, ahead: number): AsyncGenerator<T> {
  if (!Number.isInteger(ahead) || ahead < 1) throw new Error(`inOrder needs at least one job at a time, got ${ahead}`);
  const source = starts[Symbol.iterator]();
  const running: Promise<T>[] = [];
  const fill = () => {
    while (running.length < ahead) {
      const next = source.next();
      if (next.done) return;
      const job = next.value();
      job.catch(() => undefined); // awaited below; a consumer that stops first must not leave it unhandled
      running.push(job);
    }
  };
  // the next job starts once the consumer is done with a result, so at most `ahead` results are held at once
  for (fill(); running.length > 0; fill()) yield await running.shift()!;
}
