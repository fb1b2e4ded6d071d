// Reads a file that a user named, safely: only a regular file (a FIFO would block forever, a
// device such as /dev/zero never ends, a folder is no file) and only up to a stated size, checked
// on the opened file (fstat) before a byte is read, so a file swapped in between cannot slip by.
import * as fs from 'node:fs';
import { formatBytes } from './limits';

/** Why a file cannot be read; `code` says which case (callers wrap it in their own error type). */
export class FileReadError extends Error {
  constructor(
    message: string,
    readonly code: 'missing' | 'folder' | 'special' | 'too-large' | 'unreadable',
  ) {
    super(message);
    this.name = 'FileReadError';
  }
}

export interface ReadOptions {
  /** What the file is, for messages: 'model file', 'checkpoint', 'task file'. */
  what: string;
  maxBytes: number;
  /** What to do about a file over maxBytes, appended to the message. */
  tooLargeHint?: string;
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refuse(path: string, st: fs.Stats, o: ReadOptions): FileReadError | null {
  if (st.isDirectory()) return new FileReadError(`${path} is a folder, not a ${o.what}`, 'folder');
  if (!st.isFile()) return new FileReadError(`${path} is ${kindOf(st)}, not a ${o.what}: LoopLens reads only regular files`, 'special');
  if (st.size > o.maxBytes) {
    return new FileReadError(`${path} is ${formatBytes(st.size)}, more than the ${formatBytes(o.maxBytes)} a ${o.what} may have${o.tooLargeHint ? `; ${o.tooLargeHint}` : ''}`, 'too-large');
  }
  return null;
}

function openError(err: unknown, path: string, o: ReadOptions): FileReadError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileReadError(`no ${o.what} at ${path}`, 'missing');
  if (code === 'EISDIR') return new FileReadError(`${path} is a folder, not a ${o.what}`, 'folder');
  if (code === 'ELOOP') return new FileReadError(`cannot read ${path}: too many levels of symbolic links`, 'unreadable');
  if (code === 'EACCES' || code === 'EPERM') return new FileReadError(`cannot read ${path}: permission denied`, 'unreadable');
  // ENXIO: a socket (or a device without a driver) cannot be opened for reading.
  if (code === 'ENXIO') return new FileReadError(`${path} is a socket or a device, not a ${o.what}: LoopLens reads only regular files`, 'special');
  if (code === 'EIO') return new FileReadError(`cannot read ${path}: the disk reported an input/output error`, 'unreadable');
  return new FileReadError(`cannot read ${path}${code ? ` (${code})` : `: ${(err as Error).message}`}`, 'unreadable');
}

// O_NONBLOCK: opening a FIFO without a writer returns at once (then fstat refuses it) instead of blocking.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** The `off` bytes read into `buf` (sized one past the limit): refused when the file grew past the limit meanwhile. */
function readBytes(buf: Uint8Array, off: number, path: string, o: ReadOptions): Uint8Array {
  if (off > o.maxBytes) throw new FileReadError(`${path} grew past ${formatBytes(o.maxBytes)} while it was read`, 'too-large');
  return buf.subarray(0, off);
}

/** A failure while reading: our own refusals as they are, the system's in our words. */
function readError(err: unknown, path: string, o: ReadOptions): Error {
  return err instanceof FileReadError ? err : openError(err, path, o);
}

/** An opened regular file of at most `maxBytes`: its size when opened, and reads of parts of it. */
export interface RegularFile {
  size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). Throws FileReadError. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Opens `path`, checks it is a regular file of at most `maxBytes` and hands it to `use`, closing it
 * after; for a caller that reads only part of a file (a checkpoint's header). Errors from `use`
 * itself pass through as they are; the file's own are FileReadErrors.
 */
export async function withRegularFile<T>(path: string, o: ReadOptions, use: (file: RegularFile) => Promise<T>): Promise<T> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(path, OPEN_FLAGS);
  } catch (err) {
    throw openError(err, path, o);
  }
  try {
    let st: fs.Stats;
    try {
      st = await fh.stat();
    } catch (err) {
      throw readError(err, path, o);
    }
    const bad = refuse(path, st, o);
    if (bad) throw bad;
    const read = async (offset: number, length: number): Promise<Uint8Array> => {
      const buf = Buffer.allocUnsafe(length);
      let off = 0;
      try {
        while (off < length) {
          const { bytesRead } = await fh.read(buf, off, length - off, offset + off);
          if (bytesRead === 0) break;
          off += bytesRead;
        }
      } catch (err) {
        throw readError(err, path, o);
      }
      return buf.subarray(0, off);
    };
    return await use({ size: st.size, read });
  } finally {
    await fh.close();
  }
}

/** The whole file, after checking it is a regular file of at most `maxBytes`. Throws FileReadError. */
export async function readRegularFile(path: string, o: ReadOptions): Promise<Uint8Array> {
  // Read at most one byte past the size fstat gave: a file that grows meanwhile is cut off and refused.
  return withRegularFile(path, o, async (file) => {
    const bytes = await file.read(0, Math.min(file.size, o.maxBytes) + 1);
    return readBytes(bytes, bytes.length, path, o);
  });
}

/** readRegularFile for synchronous callers. */
export function readRegularFileSync(path: string, o: ReadOptions): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(path, OPEN_FLAGS);
  } catch (err) {
    throw openError(err, path, o);
  }
  try {
    const st = fs.fstatSync(fd);
    const bad = refuse(path, st, o);
    if (bad) throw bad;
    const buf = Buffer.allocUnsafe(Math.min(st.size, o.maxBytes) + 1);
    let off = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
      if (off === buf.length) break;
    }
    return readBytes(buf, off, path, o);
  } catch (err) {
    throw readError(err, path, o);
  } finally {
    fs.closeSync(fd);
  }
}

/** A text file (UTF-8) read with the same checks. */
export async function readRegularTextFile(path: string, o: ReadOptions): Promise<string> {
  return Buffer.from(await readRegularFile(path, o)).toString('utf8');
}

export function readRegularTextFileSync(path: string, o: ReadOptions): string {
  return Buffer.from(readRegularFileSync(path, o)).toString('utf8');
}
