// AdamW and clipping graph pieces against a float64 transcription of torch.optim.AdamW and
// torch.nn.utils.clip_grad_norm_.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { Graph } from '../../../src/core/onnx/graph';
import { toModelBytes } from '../../../src/core/onnx/serialize';
import { adamwScalars, adamwUpdate, clipByGlobalNorm, globalNorm, PAPER_ADAMW } from '../../../src/core/optim/adamw';

function torchAdamW(p: number[], g: number[], m: number[], v: number[], step: number, lr: number) {
  const o = PAPER_ADAMW;
  const bc1 = 1 - o.beta1 ** step;
  const bc2 = 1 - o.beta2 ** step;
  const out = p.map((pi, i) => {
    const m1 = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
    const v1 = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! * g[i]!;
    const denom = Math.sqrt(v1) / Math.sqrt(bc2) + o.eps;
    return [pi * (1 - lr * o.weightDecay) - (lr / bc1) * (m1 / denom), m1, v1] as const;
  });
  return { p: out.map((x) => x[0]), m: out.map((x) => x[1]), v: out.map((x) => x[2]) };
}

test('AdamW update and global-norm clipping match PyTorch formulas', async () => {
  const g = new Graph();
  const p = g.input('p', 'float32', [4]);
  const gr1 = g.input('g1', 'float32', [4]);
  const gr2 = g.input('g2', 'float32', [2]);
  const m = g.input('m', 'float32', [4]);
  const v = g.input('v', 'float32', [4]);
  const step = g.input('step', 'int64', []);
  const lr = g.input('lr', 'float64', []);
  const norm = globalNorm([gr1, gr2]);
  const [c1] = clipByGlobalNorm([gr1, gr2], norm, 1.0);
  const [p1, m1, v1] = adamwUpdate(p, c1!, m, v, adamwScalars(step, lr, PAPER_ADAMW), PAPER_ADAMW);
  g.output(norm, 'norm');
  g.output(c1!, 'clipped');
  g.output(p1, 'p1');
  g.output(m1, 'm1');
  g.output(v1, 'v1');
  const s = await ort.InferenceSession.create(toModelBytes(g));
  const P = [0.5, -0.25, 1, 0.01];
  const G1 = [3, -4, 0.5, 0];
  const G2 = [1, 2];
  const M = [0.1, 0, -0.2, 0.3];
  const V = [0.01, 0.02, 0, 0.5];
  const t = (a: number[]) => new ort.Tensor('float32', Float32Array.from(a), [a.length]);
  for (const stepNo of [1, 7, 5000]) {
    const r = await s.run({ p: t(P), g1: t(G1), g2: t(G2), m: t(M), v: t(V), step: new ort.Tensor('int64', BigInt64Array.of(BigInt(stepNo)), []), lr: new ort.Tensor('float64', Float64Array.of(1e-3), []) });
    const n = Math.sqrt([...G1, ...G2].reduce((a, x) => a + x * x, 0));
    assert.ok(Math.abs(Number(r.norm!.data[0]) - n) < 1e-5);
    const coef = Math.min(1, 1 / (n + 1e-6));
    const clipped = G1.map((x) => x * coef);
    Array.from(r.clipped!.data as Float32Array).forEach((x, i) => assert.ok(Math.abs(x - clipped[i]!) < 1e-6));
    const want = torchAdamW(P, clipped, M, V, stepNo, 1e-3);
    for (const k of ['p', 'm', 'v'] as const) {
      Array.from(r[`${k}1`]!.data as Float32Array).forEach((x, i) => assert.ok(Math.abs(x - want[k][i]!) <= 1e-6 * (1 + Math.abs(want[k][i]!)), `${k}[${i}] step ${stepNo}: ${x} vs ${want[k][i]}`));
    }
  }
});
