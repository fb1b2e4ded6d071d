// How the CLI names a file in a command for the user to paste: relative to the working folder
// when it lies inside it, else absolute (a '../..' path is hard to read).
import * as path from 'node:path';

export function shownPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
