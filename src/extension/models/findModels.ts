// Finds model files (.onnx) and training checkpoints (.ckpt) in the places LoopLens looks: the
// models shipped with the extension, each workspace folder's models/ and runs/ (where
// `looplens train` writes), the looplens.modelsFolder setting and where Train saves when no folder
// is open. No vscode import. Only names are read here; a file is validated when opened.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ModelFolder {
  dir: string;
  /** Shown next to each file, e.g. "shipped with LoopLens", "workspace models/". */
  source: string;
}

export interface ModelFileEntry {
  path: string;
  /** The file name without .onnx. */
  name: string;
  /** The path relative to its folder (shows sub-folders). */
  relative: string;
  source: string;
  bytes: number;
  modified: Date;
}

/** Folders that are not searched (build output, dependencies, VCS). */
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.artifacts', '.cache']);

/** .onnx files under each folder (up to `depth` levels of sub-folders), each file once, newest first within a folder. */
export function findModelFiles(folders: readonly ModelFolder[], depth = 2): ModelFileEntry[] {
  return findFiles(folders, '.onnx', depth);
}

/** Training checkpoints (.ckpt) under each folder, as findModelFiles finds models. */
export function findCheckpointFiles(folders: readonly ModelFolder[], depth = 2): ModelFileEntry[] {
  return findFiles(folders, '.ckpt', depth);
}

function findFiles(folders: readonly ModelFolder[], extension: string, depth: number): ModelFileEntry[] {
  const ext = extension.toLowerCase();
  const seen = new Set<string>();
  const out: ModelFileEntry[] = [];
  for (const folder of folders) {
    const found: ModelFileEntry[] = [];
    const walk = (dir: string, level: number) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // a folder that does not exist (yet) or cannot be read is simply empty
      }
      for (const e of entries) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (level < depth && !SKIP.has(e.name) && !e.name.startsWith('.')) walk(p, level + 1);
        } else if (e.isFile() && e.name.toLowerCase().endsWith(ext)) {
          const real = safeRealpath(p);
          if (seen.has(real)) continue;
          seen.add(real);
          let st: fs.Stats;
          try {
            st = fs.statSync(p);
          } catch {
            continue;
          }
          found.push({ path: p, name: e.name.slice(0, -ext.length), relative: path.relative(folder.dir, p), source: folder.source, bytes: st.size, modified: st.mtime });
        }
      }
    };
    walk(folder.dir, 0);
    found.sort((a, b) => b.modified.getTime() - a.modified.getTime() || a.relative.localeCompare(b.relative));
    out.push(...found);
  }
  return out;
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** 211252 → "206 KB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
