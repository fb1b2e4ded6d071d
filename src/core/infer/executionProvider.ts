// Chooses where ONNX Runtime runs a graph: CUDA when asked for (or when `auto` finds it), else CPU.
// Every session in LoopLens (training steps, inference, traces) is created here.
import * as ort from 'onnxruntime-node';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stripAnsi } from '../util/plainText';

export type ExecutionProviderSetting = 'auto' | 'cuda' | 'cpu';
export type ExecutionProvider = 'cuda' | 'cpu';

export interface SessionRequest {
  provider: ExecutionProviderSetting;
  /** Intra-op threads for the CPU provider; 0 or undefined lets ONNX Runtime decide. */
  cpuThreads?: number;
  /** Receives one line when `auto` falls back to CPU, saying why. */
  log?: (message: string) => void;
  /** Writes ONNX Runtime's per-node profile to `<prefix>_<time>.json` when the session ends profiling (scripts/profile-train.ts). */
  profileFilePrefix?: string;
  /** false: idle intra-op threads sleep instead of spinning (they waste a shared CPU while the main thread does other work). */
  spinning?: boolean;
  /** false: no memory pattern, for graphs whose tensor sizes change every run (a training step: examples stop at their own T(n)), where it only holds on to memory. */
  memoryPattern?: boolean;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Why `auto` did not use CUDA; undefined when CUDA was used or CPU was asked for. */
  fallbackReason?: string;
}

export class ExecutionProviderError extends Error {}

/** Folder of onnxruntime-node's native binding, where a CUDA provider library must sit. */
export function ortNativeDir(): string {
  const pkg = require.resolve('onnxruntime-node/package.json');
  return join(dirname(pkg), 'bin', 'napi-v6', process.platform, process.arch);
}

/** Why the CUDA provider cannot load here, or undefined if its library is present. */
export function cudaUnavailableReason(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'win32') return `CUDA is not supported by onnxruntime-node on ${process.platform}`;
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  const dir = ortNativeDir();
  if (!existsSync(join(dir, lib))) {
    return `the CUDA execution provider is not installed (${lib} missing in ${dir}); install it with "LoopLens: Set Up CUDA…" in VS Code, or \`npm run install:cuda\` in a LoopLens checkout`;
  }
  return undefined;
}

function sessionOptions(provider: ExecutionProvider, request: SessionRequest): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: provider === 'cuda' ? [{ name: 'cuda' }] : ['cpu'],
    graphOptimizationLevel: 'all',
  };
  if (request.cpuThreads && request.cpuThreads > 0) options.intraOpNumThreads = request.cpuThreads;
  if (request.spinning === false) options.extra = { session: { intra_op: { allow_spinning: '0' } } };
  if (request.memoryPattern === false) options.enableMemPattern = false;
  if (request.profileFilePrefix) {
    options.enableProfiling = true;
    options.profileFilePrefix = request.profileFilePrefix;
  }
  return options;
}

/** ONNX Runtime's error text as one plain line: no terminal colour codes, no native source locations. */
export function ortErrorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const plain = stripAnsi(raw)
    .replace(/\[(ONNXRuntimeError|ErrorCode:[^\]]*)\]\s*:?\s*(\d+\s*:\s*)?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 300 ? `${plain.slice(0, 300)}…` : plain;
}

/** An ONNX Runtime failure, reworded: what LoopLens was doing, then ONNX Runtime's reason in plain text. */
export class OnnxRuntimeError extends Error {
  constructor(what: string, cause: unknown) {
    super(`ONNX Runtime could not ${what}: ${ortErrorMessage(cause)}`);
    this.name = 'OnnxRuntimeError';
  }
}

async function open(model: Uint8Array | string, provider: ExecutionProvider, request: SessionRequest): Promise<ort.InferenceSession> {
  const options = sessionOptions(provider, request);
  try {
    return typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  } catch (e) {
    throw new OnnxRuntimeError(`load the graph on the ${provider === 'cuda' ? 'CUDA' : 'CPU'} provider`, e);
  }
}

/** What `auto` says when it runs on the CPU. */
export function cpuFallbackMessage(reason: string): string {
  return `LoopLens: using the CPU execution provider because ${reason}.`;
}

/** Opens an inference session on the requested provider, following the rules of the `looplens.executionProvider` setting. */
export async function openSession(model: Uint8Array | string, request: SessionRequest): Promise<OpenedSession> {
  if (request.provider === 'cpu') {
    return { session: await open(model, 'cpu', request), provider: 'cpu' };
  }
  const missing = cudaUnavailableReason();
  if (request.provider === 'cuda') {
    if (missing) throw new ExecutionProviderError(`CUDA was requested but ${missing}. Set looplens.executionProvider to "auto" or "cpu" to run on the CPU.`);
    try {
      return { session: await open(model, 'cuda', request), provider: 'cuda' };
    } catch (e) {
      throw new ExecutionProviderError(
        `CUDA was requested but the CUDA provider failed to start: ${(e as Error).message}. ` +
          'Check that the CUDA libraries (libcudart, libcublas, libcublasLt, libcurand, cuDNN) of the provider\'s CUDA version are on LD_LIBRARY_PATH, or use "cpu".',
      );
    }
  }
  // auto
  let reason = missing;
  if (!reason) {
    try {
      return { session: await open(model, 'cuda', request), provider: 'cuda' };
    } catch (e) {
      reason = `the CUDA provider failed to start (${(e as Error).message.split('\n')[0]})`;
    }
  }
  request.log?.(cpuFallbackMessage(reason));
  return { session: await open(model, 'cpu', request), provider: 'cpu', fallbackReason: reason };
}

export function parseExecutionProvider(value: string): ExecutionProviderSetting {
  if (value === 'auto' || value === 'cuda' || value === 'cpu') return value;
  throw new ExecutionProviderError(`unknown execution provider "${value}": use auto, cuda or cpu`);
}

export const onnxRuntimeVersion: string = ort.env.versions.node ?? 'unknown';
