// A UsageError is the user's mistake in the command line: the CLI prints the message and the
// command's usage, and exits with code 2. Any other error prints its message only (exit 1).
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
