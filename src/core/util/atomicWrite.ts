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

/** Temp files of `target` (tempPathFor's names) whose writer is gone: a process killed mid-write leaves one behind. */
export function staleTempFiles(target: string, isAlive: (pid: number) => boolean = processIsAlive): string[] {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    // This process's own temp files belong to writes in flight; a live process's too.
    if (pid === process.pid || isAlive(pid)) continue;
    out.push(path.join(dir, name));
  }
  return out;
}

/** Removes staleTempFiles(target); returns what it removed. Never throws (a cleanup must not stop a run). */
export function cleanStaleTempFiles(target: string, isAlive?: (pid: number) => boolean): string[] {
  const removed: string[] = [];
  for (const f of staleTempFiles(target, isAlive)) {
    try {
      const st = fs.lstatSync(f);
      if (!st.isFile()) continue;
      fs.rmSync(f, { force: true });
      removed.push(f);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
