// Runs training steps: holds the parameters and AdamW moments in JS as three flat arrays, feeds
// them with one batch to the compiled training-step graph (cached per batch, width, horizon) and
// adopts the outputs. A data-parallel runner has worker threads compute the batch's gradient in
// shares instead (dataParallel.ts) and an update graph apply their sum; should a worker fail, the
// run goes on as one session, so hours of training are not lost to a worker thread.
import * as ort from 'onnxruntime-node';
import { openSession } from '../infer/executionProvider';
import { SessionCache } from '../infer/sessionCache';
import type { ExecutionProvider, ExecutionProviderSetting, OpenedSession } from '../infer/executionProvider';
import { toModelBytes } from '../onnx/serialize';
import { formatBytes } from '../util/limits';
import { validateConfig } from '../model/config';
import type { LoopedConfig } from '../model/config';
import { checkParams, cloneParams, packParams, unpackParams, zerosLikeParams } from '../model/params';
import type { Params } from '../model/params';
import { buildTrainGraph, trainNames as n } from '../model/trainGraph';
import { PAPER_ADAMW } from '../optim/adamw';
import type { AdamWOptions } from '../optim/adamw';
import type { Batch } from '../tasks/batches';
import { buildUpdateGraph } from '../model/updateGraph';
import { DATA_PARALLEL_WORKERS, GradientPool, type DataParallelOptions } from './dataParallel';

/** What a training step reads of a Batch (batches.ts). Any horizon >= max T(n_i) gives the same
 * result (see trainGraph.ts); keeping it fixed avoids recompiling. */
export type TrainBatch = Pick<Batch, 'batch' | 'width' | 'tokens' | 'targets' | 'mask' | 'steps' | 'horizon'>;

export interface TrainStepOptions {
  provider?: ExecutionProviderSetting;
  /** Intra-op threads of the CPU provider (0/undefined: ONNX Runtime decides). */
  cpuThreads?: number;
  optimizer?: AdamWOptions;
  /**
   * Unroll at least this many iterations (the session key uses max(batch.horizon, minHorizon)).
   * Set it to the run's final horizon so a growing curriculum does not recompile: iterations past
   * every example's T(n) run on zero rows and cost ~0.5 ms each, with an identical result.
   */
  minHorizon?: number;
  /** Compiled graphs kept open (least recently used are released). Default 2. */
  maxCachedSessions?: number;
  log?: (message: string) => void;
  /** ONNX Runtime profiling of every session (see SessionRequest); endProfiling() writes the files. */
  profileFilePrefix?: string;
  /** Cut each batch into shares run on one-thread worker sessions at once, on the CPU (dataParallel.ts). */
  dataParallel?: DataParallelOptions;
}

export interface TrainStepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Updates applied so far, this one included. */
  step: number;
}

/** Everything needed to continue training exactly: parameters, AdamW moments and the update count. */
export interface OptimizerState {
  step: number;
  params: Params;
  m: Params;
  v: Params;
}

/** The loss or gradient norm was NaN/Inf; the parameters were left as they were before the step. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly loss: number,
    readonly gradNorm: number,
    readonly step: number,
  ) {
    super(`training step ${step}: loss ${loss}, gradient norm ${gradNorm} — not finite; parameters were kept from step ${step - 1}. Lower the learning rate or check the batch.`);
    this.name = 'NonFiniteLossError';
  }
}

/** The optimizer state as the training graph takes it: flat [P] arrays in paramSpecs order. */
interface FlatState {
  step: number;
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  /** Per-parameter views into `params`. */
  views: Params;
}

export class TrainStepRunner {
  private state!: FlatState;
  private readonly sessions: SessionCache;
  private providerUsed: ExecutionProvider | undefined;
  private pool: GradientPool | undefined;
  private update: Promise<OpenedSession> | undefined;
  /** Whether a data-parallel runner went back to one session (its gradient workers failed). */
  private sharingStopped = false;

  private constructor(
    readonly config: LoopedConfig,
    private readonly options: TrainStepOptions,
  ) {
    this.sessions = new SessionCache(options.maxCachedSessions ?? 2);
  }

  /** A runner starting from `params` with zero moments, or from a saved OptimizerState. */
  static create(config: LoopedConfig, start: Params | OptimizerState, options: TrainStepOptions = {}): TrainStepRunner {
    validateConfig(config);
    const state: OptimizerState = isOptimizerState(start) ? start : { step: 0, params: start, m: zerosLikeParams(config), v: zerosLikeParams(config) };
    const r = new TrainStepRunner(config, options);
    r.setState(state); // validates and copies
    return r;
  }

  get optimizer(): AdamWOptions {
    return this.options.optimizer ?? PAPER_ADAMW;
  }

  /** Current parameters (the runner replaces, never mutates, these arrays). */
  get params(): Params {
    return this.state.views;
  }

  get stepCount(): number {
    return this.state.step;
  }

  /** Where the last session ran (undefined before the first step). */
  get provider(): ExecutionProvider | undefined {
    return this.providerUsed;
  }

  /** A deep copy of the optimizer state (for checkpoints). */
  getState(): OptimizerState {
    const c = this.config;
    return { step: this.state.step, params: cloneParams(this.state.views), m: cloneParams(unpackParams(c, this.state.m)), v: cloneParams(unpackParams(c, this.state.v)) };
  }

  setState(s: OptimizerState): void {
    if (!Number.isInteger(s.step) || s.step < 0) throw new Error(`optimizer state: step must be a non-negative integer, got ${s.step}`);
    checkParams(this.config, s.params, 'parameters');
    checkParams(this.config, s.m, 'AdamW first moments');
    checkParams(this.config, s.v, 'AdamW second moments');
    this.adopt(s.step, packParams(this.config, s.params), packParams(this.config, s.m), packParams(this.config, s.v));
  }

  private adopt(step: number, params: Float32Array, m: Float32Array, v: Float32Array): void {
    this.state = { step, params, m, v, views: unpackParams(this.config, params) };
  }

  /** Compiles (or fetches) the session for this batch shape; useful to keep compile time out of timings. */
  async prepare(batch: number, width: number, horizon: number): Promise<OpenedSession> {
    return this.sessions.get(`${batch}x${width}x${horizon}`, () =>
      openSession(toModelBytes(buildTrainGraph({ config: this.config, batch, width, horizon, optimizer: this.optimizer })), {
        provider: this.options.provider ?? 'cpu',
        cpuThreads: this.options.cpuThreads,
        log: this.options.log,
        profileFilePrefix: this.options.profileFilePrefix,
        // Sizes change every step, so a memory pattern only holds memory; spin-waiting threads take
        // the cores other processes need (both measured: README, Performance).
        memoryPattern: false,
        spinning: false,
      }),
    );
  }

  /** Compiles what step() runs on batches of this shape: the whole-step session, or nothing where a data-parallel runner shares them (its workers compile on their first share). */
  async prepareFor(batch: number, width: number, horizon: number): Promise<void> {
    if (!this.shared(batch, width)) await this.prepare(batch, width, horizon);
  }

  /** Zeroes the AdamW moments (a staged recipe's new stage); the parameters and the update count stay. */
  resetMoments(): void {
    this.state.m = new Float32Array(this.state.m.length);
    this.state.v = new Float32Array(this.state.v.length);
  }

  /**
   * One AdamW update on `batch` with learning rate `lr`. `adamStep` is the 1-based update count for
   * the bias correction (default: every update so far, this one included; a stage's fresh moments
   * count from its first). Throws NonFiniteLossError (state unchanged) on NaN/Inf.
   */
  async step(batch: TrainBatch, lr: number, adamStep?: number): Promise<TrainStepResult> {
    checkBatch(this.config, batch);
    if (!Number.isFinite(lr) || lr < 0) throw new Error(`learning rate must be a finite number >= 0, got ${lr}`);
    const horizon = Math.max(batch.horizon, this.options.minHorizon ?? 0);
    const stepNo = this.state.step + 1;
    const biasStep = adamStep ?? stepNo;
    if (!Number.isSafeInteger(biasStep) || biasStep < 1) throw new Error(`AdamW's update count must be a positive integer, got ${biasStep}`);
    const P = this.state.params.length;
    const feeds: Record<string, ort.Tensor> = {
      [n.step]: new ort.Tensor('int64', BigInt64Array.of(BigInt(biasStep)), []),
      [n.lr]: new ort.Tensor('float64', Float64Array.of(lr), []),
      [n.params]: new ort.Tensor('float32', this.state.params, [P]),
      [n.m]: new ort.Tensor('float32', this.state.m, [P]),
      [n.v]: new ort.Tensor('float32', this.state.v, [P]),
    };
    const { loss, out } = this.shared(batch.batch, batch.width) ? await this.sharedStep(batch, horizon, feeds) : await this.wholeStep(batch, horizon, feeds);
    const gradNorm = Number((out[n.gradNorm]!.data as Float32Array)[0]);
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) throw new NonFiniteLossError(loss, gradNorm, stepNo);
    this.adopt(stepNo, out[n.newParams]!.data as Float32Array, out[n.newM]!.data as Float32Array, out[n.newV]!.data as Float32Array);
    return { loss, gradNorm, step: stepNo };
  }

  /** Whether a data-parallel runner cuts a batch of this shape into shares (narrow enough rows, an example per worker). */
  private shared(batch: number, width: number): boolean {
    const dp = this.options.dataParallel;
    return dp !== undefined && !this.sharingStopped && width <= (dp.maxWidth ?? Infinity) && batch >= (dp.workers ?? DATA_PARALLEL_WORKERS);
  }

  /** The step as one session: gradient and update in one graph. */
  private async wholeStep(batch: TrainBatch, horizon: number, feeds: Record<string, ort.Tensor>): Promise<{ loss: number; out: ort.InferenceSession.OnnxValueMapType }> {
    const opened = await this.prepare(batch.batch, batch.width, horizon);
    this.providerUsed = opened.provider;
    const out = await opened.session.run({ ...feeds, ...batchFeeds(batch) });
    return { loss: Number((out[n.loss]!.data as Float32Array)[0]), out };
  }

  /** The step data-parallel: the workers' shares of the gradient, summed, then the update graph. */
  private async sharedStep(batch: TrainBatch, horizon: number, feeds: Record<string, ort.Tensor>): Promise<{ loss: number; out: ort.InferenceSession.OnnxValueMapType }> {
    if (!this.pool) {
      const dp = this.options.dataParallel!;
      this.pool = GradientPool.start(this.config, dp);
      const rows = dp.maxWidth === undefined ? '' : ` of rows up to ${dp.maxWidth} wide`;
      const pieces = dp.pieceBytes === undefined ? '' : `, in pieces of up to ${formatBytes(dp.pieceBytes)} of attention scores`;
      this.options.log?.(`training data-parallel: each batch${rows} in ${this.pool.size} shares, one thread each${pieces}`);
    }
    let shares;
    try {
      shares = await this.pool.gradient(this.state.params, { ...batch, horizon });
    } catch (err) {
      await this.stopSharing(err as Error);
      return this.wholeStep(batch, horizon, feeds);
    }
    const { loss, grad } = shares;
    feeds[n.flatGrad] = new ort.Tensor('float32', grad, [grad.length]);
    this.update ??= openSession(toModelBytes(buildUpdateGraph(grad.length, this.optimizer)), { provider: 'cpu', cpuThreads: 1 });
    const out = await (await this.update).session.run(feeds);
    this.providerUsed = 'cpu';
    return { loss, out };
  }

  /** Releases the failed gradient workers and says so: every later step runs as one session. */
  private async stopSharing(err: Error): Promise<void> {
    this.sharingStopped = true;
    const pool = this.pool;
    this.pool = undefined;
    await pool?.release().catch(() => undefined);
    this.options.log?.(`data-parallel training stopped (${err.message}): the run goes on as one session on ${this.options.cpuThreads ?? "ONNX Runtime's default"} thread(s)`);
  }

  /** Ends ONNX Runtime profiling of every open session, writing its file (with profileFilePrefix). */
  async endProfiling(): Promise<void> {
    for (const s of this.sessions.held()) (await s).session.endProfiling();
  }

  /** Releases every compiled session (and the gradient workers of a data-parallel runner). */
  async release(): Promise<void> {
    const [update, pool] = [this.update, this.pool];
    this.update = undefined;
    this.pool = undefined;
    await Promise.all([this.sessions.releaseAll(), update?.then((o) => o.session.release()).catch(() => undefined), pool?.release()]);
  }
}

/** A batch as the training graphs take it (trainGraph.ts trainNames). */
export function batchFeeds(b: TrainBatch): Record<string, ort.Tensor> {
  return {
    [n.tokens]: new ort.Tensor('int64', b.tokens, [b.batch, b.width]),
    [n.targets]: new ort.Tensor('int64', b.targets, [b.batch, b.width]),
    [n.mask]: new ort.Tensor('float32', b.mask, [b.batch, b.width]),
    [n.steps]: new ort.Tensor('int64', b.steps, [b.batch]),
  };
}

function isOptimizerState(x: Params | OptimizerState): x is OptimizerState {
  return typeof (x as OptimizerState).step === 'number' && typeof (x as OptimizerState).params === 'object';
}

/** Throws a clear error when a batch does not fit the model or is internally inconsistent. */
export function checkBatch(config: LoopedConfig, b: TrainBatch): void {
  const { batch: B, width: W, horizon: H } = b;
  if (![B, W, H].every((v) => Number.isInteger(v) && v >= 1)) throw new Error(`batch: batch, width and horizon must be positive integers (got ${B}, ${W}, ${H})`);
  const len = (name: string, a: { length: number }, want: number): void => {
    if (a.length !== want) throw new Error(`batch: ${name} has ${a.length} values, expected ${want}`);
  };
  len('tokens', b.tokens, B * W);
  len('targets', b.targets, B * W);
  len('mask', b.mask, B * W);
  len('steps', b.steps, B);
  const V = BigInt(config.vocabSize);
  for (let i = 0; i < B * W; i++) {
    if (b.tokens[i]! < 0n || b.tokens[i]! >= V) throw new Error(`batch: token ${b.tokens[i]} at row ${Math.floor(i / W)} is outside the vocabulary of ${V}`);
    if (b.targets[i]! < 0n || b.targets[i]! >= V) throw new Error(`batch: target ${b.targets[i]} at row ${Math.floor(i / W)} is outside the vocabulary of ${V}`);
  }
  let masked = 0;
  for (let i = 0; i < B * W; i++) masked += b.mask[i]!;
  if (!(masked > 0)) throw new Error('batch: the mask selects no position, the loss would be 0/0');
  for (let i = 0; i < B; i++) {
    const s = Number(b.steps[i]);
    if (s < 1 || s > H) throw new Error(`batch: example ${i} has T(n) = ${s}, outside [1, horizon = ${H}]`);
  }
}
