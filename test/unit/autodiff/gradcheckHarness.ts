// Finite-difference gradient check: builds loss = sum(f(inputs) * w) for random fixed w, gets the
// analytic gradients from our autodiff (run by ONNX Runtime) and compares them with central
// differences of the same forward graph, element by element.
import * as ort from 'onnxruntime-node';
import { Graph } from '../../../src/core/onnx/graph';
import type { DType, Tensor } from '../../../src/core/onnx/graph';
import * as op from '../../../src/core/onnx/ops';
import { toModelBytes } from '../../../src/core/onnx/serialize';
import { gradients } from '../../../src/core/autodiff';
import { Rng } from '../../../src/core/util/rng';

export interface InputSpec {
  name: string;
  /** Shape declared in the graph (symbols allowed). */
  shape: (number | string)[];
  /** Actual run-time shape (defaults to `shape` when static). */
  runShape?: number[];
  /** Value generator (default: normal(0,1)). */
  init?: (rng: Rng, i: number) => number;
  /** int64 inputs are fed as given and not differentiated. */
  dtype?: 'int64';
  values?: number[];
}

export interface GradCase {
  name: string;
  inputs: InputSpec[];
  f: (xs: Tensor[]) => Tensor;
  dtype?: DType;
  eps?: number;
  tol?: number;
}

type Feeds = Record<string, ort.Tensor>;

function runShape(s: InputSpec): number[] {
  if (s.runShape) return s.runShape;
  if (s.shape.some((d) => typeof d !== 'number')) throw new Error(`${s.name}: give runShape`);
  return s.shape as number[];
}

export interface GradCheckResult {
  maxError: number;
  checked: number;
  worst: string;
}

/** `scaleAnalytic` multiplies the analytic gradient before comparing (to show a wrong rule fails). */
export async function gradCheck(c: GradCase, seed = 1, scaleAnalytic = 1): Promise<GradCheckResult> {
  const dtype = c.dtype ?? 'float64';
  const rng = new Rng(seed);
  const g = new Graph('gradcheck');
  const xs = c.inputs.map((s) => g.input(s.name, s.dtype ?? dtype, s.shape));
  const y = c.f(xs);
  // Weights of the random projection: fed at run time so symbolic output shapes work too.
  const w = g.input('proj_w', dtype, y.shape);
  const loss = op.reduceSum(op.mul(y, w));
  g.output(loss, 'loss');
  const diffIdx = c.inputs.map((s, i) => (s.dtype ? -1 : i)).filter((i) => i >= 0);
  const grads = gradients(loss, diffIdx.map((i) => xs[i]!));
  grads.forEach((gr, k) => g.output(gr, `grad_${k}`));
  const session = await ort.InferenceSession.create(toModelBytes(g), { graphOptimizationLevel: 'disabled' });

  const makeArr = (n: number, f: (i: number) => number): Float64Array | Float32Array =>
    dtype === 'float64' ? Float64Array.from({ length: n }, (_, i) => f(i)) : Float32Array.from({ length: n }, (_, i) => f(i));
  const ortType = dtype === 'float64' ? 'float64' : 'float32';
  const values = c.inputs.map((s) => {
    const shape = runShape(s);
    const n = shape.reduce((a, b) => a * b, 1);
    if (s.dtype === 'int64') return BigInt64Array.from(s.values!.map((v) => BigInt(v)));
    return makeArr(n, (i) => (s.init ? s.init(rng, i) : rng.normal()));
  });
  const feedsOf = (vals: typeof values, wv: Float64Array | Float32Array, wDims: number[]): Feeds => {
    const f: Feeds = {};
    c.inputs.forEach((s, i) => (f[s.name] = new ort.Tensor(s.dtype === 'int64' ? 'int64' : ortType, vals[i]!, runShape(s))));
    f.proj_w = new ort.Tensor(ortType, wv, wDims);
    return f;
  };
  const yDims = await outputDims(c, dtype, values);
  const wv = makeArr(yDims.reduce((a, b) => a * b, 1), () => rng.normal());
  const base = await session.run(feedsOf(values, wv, yDims));

  const eps = c.eps ?? (dtype === 'float64' ? 1e-6 : 1e-2);
  const tol = c.tol ?? (dtype === 'float64' ? 1e-6 : 2e-2);
  let maxError = 0;
  let checked = 0;
  let worst = '';
  for (let k = 0; k < diffIdx.length; k++) {
    const i = diffIdx[k]!;
    const analytic = base[`grad_${k}`]!.data as Float64Array | Float32Array;
    const x = values[i] as Float64Array | Float32Array;
    const picks = x.length <= 40 ? [...Array(x.length).keys()] : Array.from({ length: 40 }, () => rng.below(x.length));
    for (const j of picks) {
      const orig = x[j]!;
      x[j] = orig + eps;
      const lp = Number((await session.run(feedsOf(values, wv, yDims), ['loss'])).loss!.data[0]);
      x[j] = orig - eps;
      const lm = Number((await session.run(feedsOf(values, wv, yDims), ['loss'])).loss!.data[0]);
      x[j] = orig;
      const numeric = (lp - lm) / (2 * eps);
      const err = Math.abs(numeric - scaleAnalytic * analytic[j]!) / (tol * (1 + Math.abs(numeric)));
      checked++;
      if (err > maxError) {
        maxError = err;
        worst = `${c.inputs[i]!.name}[${j}]: analytic ${analytic[j]} numeric ${numeric}`;
      }
    }
  }
  return { maxError, checked, worst };
}

/** Runs the bare forward graph once to get the output's run-time dims. */
async function outputDims(c: GradCase, dtype: DType, values: (Float64Array | Float32Array | BigInt64Array)[]): Promise<number[]> {
  const g = new Graph('probe');
  const xs = c.inputs.map((s) => g.input(s.name, s.dtype ?? dtype, s.shape));
  g.output(c.f(xs), 'y');
  const s = await ort.InferenceSession.create(toModelBytes(g));
  const feeds: Feeds = {};
  c.inputs.forEach((sp, i) => (feeds[sp.name] = new ort.Tensor(sp.dtype === 'int64' ? 'int64' : dtype === 'float64' ? 'float64' : 'float32', values[i]!, runShape(sp))));
  return [...(await s.run(feeds)).y!.dims];
}
