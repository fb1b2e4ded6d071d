// Writes a file so that readers only ever see the old content or the complete new content, even if
// the process is killed mid-write: write a temp file in the same directory, fsync it, rename it over
// the target (atomic on POSIX and NTFS within one volume), then fsync the directory.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteHooks {
  /** Called after the temp file is complete and synced, just before the rename (used by tests). */
  beforeRename?: (tempPath: string) => void;
}

export function tempPathFor(target: string): string {
  const rand = Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0');
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${rand}.tmp`);
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be opened/fsynced on some platforms (Windows); the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function atomicWriteFileSync(target: string, bytes: Uint8Array, hooks: AtomicWriteHooks = {}): void {
  const tmp = tempPathFor(target);
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    hooks.beforeRename?.(tmp);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDirectory(path.dirname(target));
}

export async function atomicWriteFile(target: string, bytes: Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const tmp = tempPathFor(target);
  const fh = await fs.promises.open(tmp, 'w', 0o644);
  try {
    try {
      let off = 0;
      while (off < bytes.length) off += (await fh.write(bytes, off, bytes.length - off)).bytesWritten;
      await fh.sync();
    } finally {
      await fh.close();
    }
    hooks.beforeRename?.(tmp);
    await fs.promises.rename(tmp, target);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  syncDirectory(path.dirname(target));
}
