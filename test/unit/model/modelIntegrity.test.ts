// Issue 17, model files: the integrity checksum covers everything that defines the model (every
// metadata key and value, the graph, the weights); a file without it is refused with the way to
// re-export it; metadata is checked against its schema (nulls and missing fields named, sizes
// within LIMITS) before anything is allocated; special files are refused without being read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, LoopLensModelError, modelFileBytes, parseModel, upgradeModelBytes, type ModelContents } from '../../../src/core/model/modelFile';
import { CHECKSUM_KEY, signModelBytes, stripChecksum, verifyModelChecksum } from '../../../src/core/model/modelIntegrity';
import { metaKeys, type TrainingRecord } from '../../../src/core/model/modelMetadata';
import { decodeModelProto, encodeModelProto } from '../../../src/core/onnx/onnxSchema';
import { initParams, paramSpecs, size } from '../../../src/core/model/params';
import { parameterCount, type LoopedConfig } from '../../../src/core/model/config';
import { LIMITS } from '../../../src/core/util/limits';
import { getTask } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import { openTraceSessions, releaseTraceSessions, traceText } from '../../../src/core/trace/traceInput';
import { tmpDir } from '../../support/tmpDir';
import { HANG_GUARD } from '../../support/hangGuard';

const config: LoopedConfig = { vocabSize: 6, d: 16, layers: 1, heads: 4, readIn: 'linear', inputInjection: true };
const rng = new Rng(11);
const params = initParams(config, () => rng.float());
const training: TrainingRecord = { preset: 'test', recipe: { task: 'parity' }, stepsCompleted: 3, seed: 1, elapsedSeconds: 1, finalLoss: 0.5, provider: 'cpu', finishedAt: '2026-01-01T00:00:00.000Z', lossCurve: [] };
const contents: ModelContents = { task: getTask('parity'), config, params, training };
const good = modelFileBytes(contents, '2026-01-01T00:00:00.000Z');

type Raw = { graph: { node: { op_type: string; attribute?: { name: string; i?: number; t?: { raw_data?: Uint8Array } }[] }[] }; metadata_props: { key: string; value: string }[] };
const decode = (b: Uint8Array) => decodeModelProto(b) as unknown as Raw;
const encode = (m: Raw) => encodeModelProto(m);

/** The file with its metadata changed by `edit` (then re-signed when `sign`, as a deliberate writer would). */
function withMetadata(edit: (meta: Map<string, string>) => void, sign: boolean): Uint8Array {
  const m = decode(good);
  const meta = new Map(m.metadata_props.filter((e) => e.key !== CHECKSUM_KEY).map((e) => [e.key, e.value]));
  const before = m.metadata_props.find((e) => e.key === CHECKSUM_KEY)!;
  edit(meta);
  m.metadata_props = [...meta].map(([key, value]) => ({ key, value }));
  const bytes = encode(m);
  if (sign) return signModelBytes(bytes);
  m.metadata_props.push(before); // the old checksum stays: an edit without re-signing
  return encode(m);
}

function refused(bytes: Uint8Array, re: RegExp): void {
  assert.throws(
    () => parseModel(bytes, 'm.onnx'),
    (e: Error) => {
      assert.ok(e instanceof LoopLensModelError, `${e.name}: ${e.message}`);
      assert.match(e.message, re);
      return true;
    },
  );
}

test('every writer signs: the checksum verifies and covers the whole file', () => {
  assert.equal(verifyModelChecksum(good).status, 'ok');
  const m = parseModel(good);
  assert.match(m.metadata.checksum ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(stripChecksum(signModelBytes(good)), stripChecksum(good), 'signing is idempotent');
  // Any single byte changed anywhere (metadata, graph, constants, weights) is caught: a sample of positions.
  const r = new Rng(3);
  for (let k = 0; k < 150; k++) {
    const at = r.below(good.length);
    const bad = Uint8Array.from(good);
    bad[at] = bad[at]! ^ (1 + r.below(255));
    assert.throws(() => parseModel(bad, 'flip.onnx'), LoopLensModelError, `byte ${at}`);
  }
});

test('a file without the checksum is refused, naming how to re-export it; the re-export loads and answers the same', () => {
  const legacy = stripChecksum(good);
  refused(legacy, /has no integrity checksum \(metadata looplens\.checksum\).*looplens export m\.onnx --out NEW\.onnx/);
  const up = upgradeModelBytes(legacy, 'm.onnx');
  assert.equal(up.wasSigned, false);
  assert.deepEqual(up.model.params, parseModel(good).params);
  assert.deepEqual(up.bytes, good, 'same weights, config, record and time: byte-identical to the signed file');
  // A legacy file whose weights were damaged is not "upgraded" into a valid one.
  const w = params['layers.0.mlp.fc.weight']!;
  const at = Buffer.from(legacy).indexOf(Buffer.from(new Uint8Array(w.buffer, w.byteOffset, 32)));
  const bad = Uint8Array.from(legacy);
  bad[at + 5]! ^= 0x40;
  assert.throws(() => upgradeModelBytes(bad, 'old.onnx'), /weights do not match their checksum/);
});

test('unsigned edits of what the checksum did not cover before are caught: config, graph attributes, constants', () => {
  // Config metadata (inputInjection false: a silently wrong model before).
  refused(withMetadata((m) => m.set(metaKeys.config, JSON.stringify({ ...config, inputInjection: false })), false), /do not match its integrity checksum/);
  refused(withMetadata((m) => m.set(metaKeys.config, JSON.stringify({ ...config, lnEps: 0.1 })), false), /do not match its integrity checksum/);
  refused(withMetadata((m) => m.delete(metaKeys.weightsCrc), false), /do not match its integrity checksum/);
  // Graph: Gelu → Relu, a Softmax axis, Greater → Less, an attribute value, a constant's bytes.
  const graphEdit = (edit: (g: Raw['graph']) => boolean) => {
    const m = decode(good);
    assert.ok(edit(m.graph), 'the edit found its target');
    return encode(m);
  };
  type Node = Raw['graph']['node'][number];
  /** Applies `f` to every node, the Loop body's included; true when it changed one. */
  const everyNode = (f: (n: Node) => boolean) => (g: Raw['graph']) => {
    let hit = false;
    const visit = (nodes: Node[]) => {
      for (const n of nodes) {
        if (f(n)) hit = true;
        for (const a of n.attribute ?? []) {
          const sub = (a as { g?: Raw['graph'] }).g;
          if (sub) visit(sub.node);
        }
      }
    };
    visit(g.node);
    return hit;
  };
  refused(graphEdit(everyNode((n) => n.op_type === 'Gelu' && (n.op_type = 'Relu') === 'Relu')), /integrity checksum/);
  refused(graphEdit(everyNode((n) => n.op_type === 'Greater' && (n.op_type = 'Less') === 'Less')), /integrity checksum/);
  refused(
    graphEdit(
      everyNode((n) => {
        const axis = n.op_type === 'Softmax' ? n.attribute?.find((a) => a.name === 'axis') : undefined;
        if (!axis) return false;
        axis.i = (axis.i ?? -1) === -1 ? 1 : -1;
        return true;
      }),
    ),
    /integrity checksum/,
  );
  // A constant of the graph (an initializer that is not a weight, e.g. the attention scale): one bit.
  const weights = new Set(paramSpecs(config).map((p) => p.name));
  refused(
    graphEdit((g) => {
      const c = (g as unknown as { initializer: { name: string; raw_data?: Uint8Array }[] }).initializer.find((t) => !weights.has(t.name) && (t.raw_data?.length ?? 0) > 0);
      if (!c?.raw_data) return false;
      c.raw_data = Uint8Array.from(c.raw_data, (b, i) => (i === 0 ? b ^ 0x01 : b));
      return true;
    }),
    /integrity checksum/,
  );
});

test('the schema names null and missing fields, and out-of-range sizes, before anything is built', () => {
  const signed = (edit: (m: Map<string, string>) => void) => withMetadata(edit, true);
  refused(signed((m) => m.set(metaKeys.training, 'null')), /metadata looplens\.training is null; expected an object/);
  refused(signed((m) => m.set(metaKeys.training, JSON.stringify({ ...training, stepsCompleted: undefined }))), /looplens\.training\.stepsCompleted is missing/);
  refused(signed((m) => m.set(metaKeys.taskFile, 'null')), /metadata looplens\.task_file is null; expected an object/);
  refused(signed((m) => m.set(metaKeys.vocabulary, JSON.stringify({ size: 6, symbols: null }))), /looplens\.vocabulary\.symbols is null/);
  refused(signed((m) => m.set(metaKeys.config, JSON.stringify({ ...config, heads: null }))), /looplens\.config: heads is null/);
  refused(signed((m) => m.set(metaKeys.config, JSON.stringify({ ...config, heads: 3 }))), /heads \(3\) must divide d/);
  refused(signed((m) => m.set(metaKeys.config, JSON.stringify({ ...config, lnEps: -1 }))), /lnEps must be a number in \(0, 1\)/);
  refused(signed((m) => m.delete(metaKeys.stepsRule)), /metadata looplens\.steps_rule is missing/);
  refused(signed((m) => m.set(metaKeys.graph, '{')), /metadata looplens\.graph is not valid JSON/);
  // A billion layers: refused by the limit's message, not after allocating gigabytes (which would fail with another).
  refused(signed((m) => m.set(metaKeys.config, JSON.stringify({ ...config, layers: 1e9 }))), new RegExp(`layers must be at most ${LIMITS.layers}, got 1000000000`));
  refused(signed((m) => m.set(metaKeys.config, JSON.stringify({ ...config, d: 4096, layers: 64 }))), /billion parameters.*more than the/);
  // Two entries for one key would let a reader see either.
  const m = decode(good);
  m.metadata_props.splice(0, 0, { key: metaKeys.config, value: JSON.stringify({ ...config, inputInjection: false }) });
  refused(signModelBytes(encode(m)), /metadata looplens\.config appears more than once/);
});

test('a re-signed config that disagrees with the file graph still runs one consistent model (trace graph built from the config)', async () => {
  const bytes = withMetadata((m) => m.set(metaKeys.config, JSON.stringify({ ...config, heads: 2 })), true);
  const model = parseModel(bytes, 'heads.onnx');
  const sessions = await openTraceSessions(model, { provider: 'cpu', cpuThreads: 1 }, false);
  try {
    const r = await traceText(model.task, sessions, '1011', { steps: 3 });
    assert.equal(r.trace.heads, 2);
  } finally {
    await releaseTraceSessions(sessions);
  }
});

test('parameterCount is the size of every parameter, without allocating', () => {
  for (const c of [config, { ...config, readIn: 'embedding' as const, vocabSize: 60, layers: 3, mlpRatio: 2 }]) {
    assert.equal(parameterCount(c), paramSpecs(c).reduce((n, s) => n + size(s.shape), 0));
  }
});

test('special files and oversized files are refused without being read', HANG_GUARD, async () => {
  const dir = tmpDir();
  const fifo = path.join(dir, 'pipe.onnx');
  execFileSync('mkfifo', [fifo]);
  // opening a FIFO for reading blocks until a writer comes: HANG_GUARD fails a loader that tries
  await assert.rejects(loadModel(fifo), /is a named pipe \(FIFO\), not a model file/);
  await assert.rejects(loadModel('/dev/zero'), /\/dev\/zero is a character device, not a model file/);
  await assert.rejects(loadModel(dir), /is a folder, not a model file/);
  const huge = path.join(dir, 'huge.onnx');
  const fd = fs.openSync(huge, 'w');
  fs.ftruncateSync(fd, LIMITS.modelFileBytes + 1); // sparse: no disk used
  fs.closeSync(fd);
  await assert.rejects(loadModel(huge), /is 160 MiB, more than the 160 MiB a model file may have/);
  const loop = path.join(dir, 'loop.onnx');
  fs.symlinkSync(loop, loop);
  await assert.rejects(loadModel(loop), /too many levels of symbolic links/);
});
