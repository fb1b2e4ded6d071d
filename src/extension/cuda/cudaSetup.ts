// What "LoopLens: Set Up CUDA…" checks and runs, as plain functions: whether this machine can use
// ONNX Runtime's CUDA provider at all, which GPU and driver it has, the install script's command
// line, and what its output means. No vscode import (unit-tested).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export type CudaVariant = 'auto' | 'cuda12' | 'cuda13';

export interface GpuInfo {
  /** "NVIDIA H200, driver 570.124.06" per GPU, or empty when none was found. */
  gpus: string[];
  /** Why none was found (nvidia-smi missing or failing), when none was. */
  problem?: string;
}

/** Why this platform cannot use the CUDA provider LoopLens installs (linux-x64 builds only), or undefined. */
export function platformProblem(platform: string = process.platform, arch: string = process.arch): string | undefined {
  if (platform === 'linux' && arch === 'x64') return undefined;
  return `the CUDA provider LoopLens installs is built for Linux x64; this is ${platform}-${arch}, so LoopLens runs on the CPU here`;
}

/** "NVIDIA H200, 570.124.06" lines of `nvidia-smi --query-gpu=name,driver_version --format=csv,noheader`. */
export function parseNvidiaSmi(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [name, driver] = l.split(',').map((s) => s.trim());
      return driver ? `${name}, driver ${driver}` : name!;
    });
}

/** The machine's NVIDIA GPUs, from nvidia-smi. */
export function findGpus(run: typeof spawnSync = spawnSync): GpuInfo {
  const r = run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) return { gpus: [], problem: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'nvidia-smi is not installed: no NVIDIA driver was found' : `nvidia-smi failed: ${r.error.message}` };
  if (r.status !== 0) return { gpus: [], problem: `nvidia-smi failed (exit ${r.status}): ${String(r.stderr ?? '').trim().split('\n')[0] ?? ''}` };
  const gpus = parseNvidiaSmi(String(r.stdout ?? ''));
  return gpus.length > 0 ? { gpus } : { gpus, problem: 'nvidia-smi lists no GPU' };
}

/** The install script's arguments: variant, the onnxruntime-node folder LoopLens loads, maybe a dry run. */
export function installArgs(script: string, variant: CudaVariant, ortDir: string, dryRun = false): string[] {
  return [script, ...(variant === 'auto' ? [] : [`--${variant}`]), '--dest', ortDir, ...(dryRun ? ['--dry-run'] : [])];
}

/** The onnxruntime-node folder of the ONNX Runtime LoopLens loads (where the provider must go). */
export function loadedOrtDir(): string {
  return path.dirname(require.resolve('onnxruntime-node/package.json'));
}

/** The script's "note: the loader does not find …" warning, if it printed one. */
export function missingLibrariesNote(output: string): string | undefined {
  const line = output.split('\n').find((l) => l.startsWith('note: the loader does not find'));
  return line?.replace(/^note: /, '');
}

/** What each choice needs, for the quick pick. */
export const VARIANTS: { variant: CudaVariant; label: string; detail: string }[] = [
  { variant: 'auto', label: 'Automatic', detail: 'CUDA 12 from NuGet (the official build) when nuget.org is reachable, else CUDA 13 from the npm registry' },
  { variant: 'cuda12', label: 'CUDA 12', detail: "ONNX Runtime's official CUDA provider from NuGet: needs CUDA 12 and cuDNN 9 installed" },
  { variant: 'cuda13', label: 'CUDA 13', detail: 'The same ONNX Runtime built for CUDA 13, from the npm registry (179 MB; needs npm): needs CUDA 13, driver 580 or later' },
];
