// An ONNX Runtime session over a looped model's inference graph: feed tokens and a loop count, get
// the read-out of every iteration (and, for the trace graph, attention and hidden states).
import * as ort from 'onnxruntime-node';
import type { LoopedConfig } from '../model/config';
import { inferenceModelBytes, inferenceNames, type InferenceKind } from '../model/inferenceGraph';
import type { Params } from '../model/params';
import { OnnxRuntimeError, openSession, type ExecutionProvider, type ExecutionProviderSetting } from './executionProvider';
import type { StepLogits } from './halting';
import type { BatchedTraceOutputs } from './modelTrace';

export interface SessionSettings {
  provider?: ExecutionProviderSetting;
  cpuThreads?: number;
  log?: (message: string) => void;
}

export interface LoopedRun extends StepLogits {
  /** Trace graph only: [steps, layers, batch, heads, width, width]. */
  attention?: Float32Array;
  /** Trace graph only: [steps, batch, width, d]. */
  hidden?: Float32Array;
}

export class LoopedSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly kind: InferenceKind,
    readonly config: LoopedConfig,
    readonly provider: ExecutionProvider,
  ) {}

  /** Builds the `kind` graph from parameters and opens it. */
  static async fromParams(config: LoopedConfig, params: Params, kind: InferenceKind, s: SessionSettings = {}): Promise<LoopedSession> {
    return LoopedSession.fromBytes(inferenceModelBytes(config, params, kind), config, kind, s);
  }

  /** Opens ready-made graph bytes (e.g. a model file's trace graph). */
  static async fromBytes(bytes: Uint8Array, config: LoopedConfig, kind: InferenceKind, s: SessionSettings = {}): Promise<LoopedSession> {
    const opened = await openSession(bytes, { provider: s.provider ?? 'cpu', cpuThreads: s.cpuThreads, log: s.log });
    return new LoopedSession(opened.session, kind, config, opened.provider);
  }

  /** Runs `steps` loop iterations on a [batch, width] token block. */
  async run(tokens: BigInt64Array, batch: number, width: number, steps: number): Promise<LoopedRun> {
    if (tokens.length !== batch * width) throw new Error(`tokens hold ${tokens.length} values, expected batch*width = ${batch * width}`);
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
    const n = inferenceNames;
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run({
        [n.tokens]: new ort.Tensor('int64', tokens, [batch, width]),
        [n.numSteps]: new ort.Tensor('int64', BigInt64Array.of(BigInt(steps)), []),
      });
    } catch (e) {
      throw new OnnxRuntimeError(`run the ${this.kind} graph (${batch} row(s) of ${width} positions, ${steps} loop steps)`, e);
    }
    const logits = out[n.logits]!;
    const run: LoopedRun = { data: logits.data as Float32Array, steps, batch, width, vocab: this.config.vocabSize };
    if (this.kind === 'trace') {
      run.attention = out[n.attention]!.data as Float32Array;
      run.hidden = out[n.hidden]!.data as Float32Array;
    }
    return run;
  }

  /** The raw outputs in the layout modelTrace.ts expects (trace graph only). */
  static traceOutputs(r: LoopedRun): BatchedTraceOutputs {
    if (!r.attention || !r.hidden) throw new Error('this run came from the eval graph, which has no attention or hidden outputs');
    return { logits: r.data, attention: r.attention, hidden: r.hidden };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
