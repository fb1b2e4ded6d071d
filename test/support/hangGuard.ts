// For async tests whose failure mode is a hang (a read of a FIFO that waits for a writer, a command
// that runs instead of refusing): node:test fails them at this timeout instead of stalling the suite.
// A generous bound, not a speed measure. It cannot stop a synchronous test.
export const HANG_GUARD = { timeout: 60_000 } as const;
