// An ONNX Runtime session over a looped model's resumable state graph (model/stateGraph.ts): run a
// few loop iterations from a kept state, or from the start, and get the hidden state after each
// and the read-out of the last. What probes over many inputs run.
import * as ort from 'onnxruntime-node';
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';
import { stateGraphNames, stateModelBytes } from '../model/stateGraph';
import { OnnxRuntimeError, openSession, type ExecutionProvider } from './executionProvider';
import type { SessionSettings } from './loopedSession';

export interface StateRun {
  /** [steps, batch, width, d]: the state after each iteration run. */
  hidden: Float32Array;
  /** [batch, width, vocab]: the read-out of the last iteration run. */
  logits: Float32Array;
}

export class LoopStateSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly config: LoopedConfig,
    readonly provider: ExecutionProvider,
  ) {}

  static async fromParams(config: LoopedConfig, params: Params, s: SessionSettings = {}): Promise<LoopStateSession> {
    // no spinning: between its short runs the main thread fits probes, and the CPU may be shared
    const opened = await openSession(stateModelBytes(config, params), { provider: s.provider ?? 'cpu', cpuThreads: s.cpuThreads, log: s.log, spinning: false });
    return new LoopStateSession(opened.session, config, opened.provider);
  }

  /**
   * Runs `steps` iterations on a [batch, width] token block, from `start` (the [batch, width, d]
   * state after some iterations of the same tokens) or, when it is null, from iteration 0.
   */
  async run(tokens: BigInt64Array, batch: number, width: number, steps: number, start: Float32Array | null): Promise<StateRun> {
    const d = this.config.d;
    if (tokens.length !== batch * width) throw new Error(`tokens hold ${tokens.length} values, expected batch*width = ${batch * width}`);
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
    if (start && start.length !== batch * width * d) throw new Error(`start holds ${start.length} values, expected batch*width*d = ${batch * width * d}`);
    const n = stateGraphNames;
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run({
        [n.tokens]: new ort.Tensor('int64', tokens, [batch, width]),
        [n.numSteps]: new ort.Tensor('int64', BigInt64Array.of(BigInt(steps)), []),
        [n.start]: new ort.Tensor('float32', start ?? new Float32Array(batch * width * d), [batch, width, d]),
        [n.resume]: new ort.Tensor('bool', Uint8Array.of(start ? 1 : 0), []),
      });
    } catch (e) {
      throw new OnnxRuntimeError(`run the state graph (${batch} row(s) of ${width} positions, ${steps} loop steps)`, e);
    }
    return { hidden: out[n.hidden]!.data as Float32Array, logits: out[n.logits]!.data as Float32Array };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
