// Corrupt and edited copies of a model file for the reliability suite (scripts/reliability.ts):
// truncations, bit and byte flips, graph edits, metadata edits (left unsigned, as damage or a
// careless edit leaves them, or re-signed, as a deliberate writer would), and special paths.
// Deterministic: a family and a seed always give the same bytes.
import { decodeModelProto, encodeModelProto } from '../../src/core/onnx/onnxSchema';
import { CHECKSUM_KEY, signModelBytes, stripChecksum } from '../../src/core/model/modelIntegrity';
import { metaKeys } from '../../src/core/model/modelMetadata';
import { paramSpecs } from '../../src/core/model/params';
import { Rng } from '../../src/core/util/rng';
import type { LoopedConfig } from '../../src/core/model/config';

export type VariantFamily =
  | 'truncate'
  | 'bitflip'
  | 'byteflips'
  | 'graph-edit'
  | 'graph-edit-resigned'
  | 'metadata-edit'
  | 'metadata-resigned-invalid'
  | 'metadata-resigned-benign'
  | 'special-path';

/** How many of each family a full run tries (1,020 in all); --quick takes about a tenth. */
export const FULL_PLAN: Record<VariantFamily, number> = {
  truncate: 150,
  bitflip: 250,
  byteflips: 100,
  'graph-edit': 150,
  'graph-edit-resigned': 50,
  'metadata-edit': 150,
  'metadata-resigned-invalid': 110,
  'metadata-resigned-benign': 40,
  'special-path': 20,
};

/** Special paths given as the model: each is a file or node the worker makes (or names) itself. */
export const SPECIAL_PATHS = [
  'dev-zero',
  'dev-null',
  'dev-urandom',
  'fifo',
  'socket',
  'folder',
  'missing',
  'symlink-loop',
  'dangling-symlink',
  'empty',
  'sparse-1g',
  'text',
  'checkpoint-as-model',
  'raspl-as-model',
  'json-as-model',
  'truncated-to-header',
  'zero-bytes-4k',
  'random-64k',
  'path-with-spaces-and-unicode',
  'below-a-file',
] as const;
export type SpecialPath = (typeof SPECIAL_PATHS)[number];

type Attr = { name?: string; type?: number; i?: number; f?: number; ints?: number[]; g?: RawGraph; t?: { raw_data?: Uint8Array } };
type RawNode = { op_type?: string; input?: string[]; output?: string[]; attribute?: Attr[] };
type RawGraph = { node: RawNode[]; initializer?: { name?: string; raw_data?: Uint8Array }[] };
type RawModel = { graph: RawGraph; metadata_props: { key: string; value: string }[] };

function allNodes(g: RawGraph): RawNode[] {
  const out: RawNode[] = [];
  const visit = (nodes: RawNode[]) => {
    for (const n of nodes) {
      out.push(n);
      for (const a of n.attribute ?? []) if (a.g) visit(a.g.node);
    }
  };
  visit(g.node);
  return out;
}

const OPS = ['Relu', 'Sigmoid', 'Less', 'Greater', 'Add', 'Sub', 'Mul', 'Div', 'Identity', 'Softmax', 'Gelu', 'Neg', 'Abs'];

/** One random edit of the graph; returns what it did. */
function editGraph(m: RawModel, rng: Rng, weightNames: Set<string>): string {
  const nodes = allNodes(m.graph);
  const pick = <T>(xs: T[]): T => xs[rng.below(xs.length)]!;
  const constants = (m.graph.initializer ?? []).filter((t) => !weightNames.has(t.name ?? '') && (t.raw_data?.length ?? 0) > 0);
  switch (rng.below(6)) {
    case 0: {
      const n = pick(nodes);
      const op = pick(OPS.filter((o) => o !== n.op_type));
      const was = n.op_type;
      n.op_type = op;
      return `op ${was} → ${op}`;
    }
    case 1: {
      const withInt = nodes.filter((n) => (n.attribute ?? []).some((a) => a.type === 2));
      if (withInt.length === 0) return editGraph(m, rng, weightNames);
      const a = pick(pick(withInt).attribute!.filter((x) => x.type === 2));
      a.i = (a.i ?? 0) + pick([-2, -1, 1, 2]);
      return `int attribute ${a.name} → ${a.i}`;
    }
    case 2: {
      const withFloat = nodes.filter((n) => (n.attribute ?? []).some((a) => a.type === 1));
      if (withFloat.length === 0) return editGraph(m, rng, weightNames);
      const a = pick(pick(withFloat).attribute!.filter((x) => x.type === 1));
      a.f = pick([0, 1, 1e-1, 1e3, -1]);
      return `float attribute ${a.name} → ${a.f}`;
    }
    case 3: {
      if (constants.length === 0) return editGraph(m, rng, weightNames);
      const c = pick(constants);
      const data = Uint8Array.from(c.raw_data!);
      data[rng.below(data.length)]! ^= 1 << rng.below(8);
      c.raw_data = data;
      return `constant ${c.name} bit flipped`;
    }
    case 4: {
      const n = pick(nodes.filter((x) => (x.input?.length ?? 0) >= 2).length > 0 ? nodes.filter((x) => (x.input?.length ?? 0) >= 2) : nodes);
      if ((n.input?.length ?? 0) >= 2) n.input = [n.input![1]!, n.input![0]!, ...n.input!.slice(2)];
      return `inputs of ${n.op_type} swapped`;
    }
    default: {
      const host = nodes.find((n) => (n.attribute ?? []).some((a) => a.g)) ?? null;
      const g = host ? host.attribute!.find((a) => a.g)!.g! : m.graph;
      const k = rng.below(g.node.length);
      const removed = g.node.splice(k, 1)[0];
      return `node ${removed?.op_type} removed`;
    }
  }
}

const J = JSON.stringify;

/** Edits of one metadata value that a schema must refuse; `v` draws a random number where one is used. */
function invalidEdits(config: LoopedConfig, rng: Rng): [string, string | null][] {
  const big = () => 65 + rng.below(1_000_000_000);
  const training = (over: Record<string, unknown>) => J({ preset: 'cpu', recipe: {}, stepsCompleted: 1, seed: 1, elapsedSeconds: 1, finalLoss: 0.1, provider: 'cpu', finishedAt: '', lossCurve: [], ...over });
  return [
    [metaKeys.training, 'null'],
    [metaKeys.training, '[]'],
    [metaKeys.training, '"x"'],
    [metaKeys.training, training({ stepsCompleted: null })],
    [metaKeys.training, training({ stepsCompleted: -1 })],
    [metaKeys.training, training({ lossCurve: null })],
    [metaKeys.training, training({ lossCurve: [{ step: 'a', loss: 1 }] })],
    [metaKeys.training, training({ finalLoss: 'low' })],
    [metaKeys.training, training({ elapsedSeconds: -5 })],
    [metaKeys.training, training({ recipe: null })],
    [metaKeys.training, training({ evaluation: { examplesPerLength: 1, seed: 1, perExampleRule: 'x', rows: null } })],
    [metaKeys.taskFile, 'null'],
    [metaKeys.taskFile, J({ file: null, source: '' })],
    [metaKeys.taskFile, J({ file: 'x.raspl', source: 'this is not RASP-L (' })],
    [metaKeys.taskFile, J({ file: 'x.raspl', source: '@task x\n@input [0 1]*n 2\n@pad 3\n@answer from 2\n@lengths n in 1..20\n@steps n\n@width 1000000 * 1000000\nstep:\n    out = tokens\n' })],
    [metaKeys.taskFile, J({ file: 'x.raspl', source: '@task x\n@input [0 1]*n 2\n@pad 3\n@answer from 2\n@lengths n in 1..1000000\n@steps n\nstep:\n    out = tokens\n' })],
    [metaKeys.task, ''],
    [metaKeys.task, 'no_such_task'],
    [metaKeys.task, 'x'.repeat(300)],
    [metaKeys.task, 'unique_set'],
    [metaKeys.task, null],
    [metaKeys.config, J({ ...config, layers: big() })],
    [metaKeys.config, J({ ...config, layers: 1e9 })],
    [metaKeys.config, J({ ...config, d: 4096, layers: 64 })],
    [metaKeys.config, J({ ...config, d: big() })],
    [metaKeys.config, J({ ...config, heads: 0 })],
    [metaKeys.config, J({ ...config, heads: null })],
    [metaKeys.config, J({ ...config, heads: 3 })],
    [metaKeys.config, J({ ...config, vocabSize: 7 })],
    [metaKeys.config, J({ ...config, readIn: 'embedding' })],
    [metaKeys.config, J({ ...config, inputInjection: 'yes' })],
    [metaKeys.config, J({ ...config, lnEps: -1 })],
    [metaKeys.config, J({ ...config, lnEps: 'tiny' })],
    [metaKeys.config, J({ ...config, mlpRatio: 1_000_000 })],
    [metaKeys.config, J({ ...config, d: 2 * config.d })],
    [metaKeys.config, '{}'],
    [metaKeys.config, 'null'],
    [metaKeys.config, '{"d": '],
    [metaKeys.config, null],
    [metaKeys.vocabulary, 'null'],
    [metaKeys.vocabulary, J({ size: 7, symbols: [], tokens: { pad: 3, equals: 2, ignore: 5 }, separator: '' })],
    [metaKeys.vocabulary, J({ size: 6, symbols: null, tokens: { pad: 3, equals: 2, ignore: 5 }, separator: '' })],
    [metaKeys.stepsRule, 'null'],
    [metaKeys.stepsRule, J({ oracle: 'T(n) = n', lengthNames: ['n'], adaptiveExtraSteps: 1e9, defaultHalting: 'oracle' })],
    [metaKeys.stepsRule, null],
    [metaKeys.graph, 'null'],
    [metaKeys.graph, J({ kind: 'other', inputs: {}, outputs: {}, layouts: {} })],
    [metaKeys.version, '0'],
    [metaKeys.version, '2'],
    [metaKeys.version, 'abc'],
    [metaKeys.version, null],
    [metaKeys.format, 'other'],
    [metaKeys.weightsCrc, 'abc'],
    [metaKeys.weightsCrc, String(rng.below(2 ** 31))],
  ];
}

/** Edits that change nothing a reader uses for the model's answers: a signed file with them must answer exactly as before. */
function benignEdits(rng: Rng): [string, string | null][] {
  return [
    [metaKeys.createdAt, new Date(Date.UTC(2020 + rng.below(10), rng.below(12), 1)).toISOString()],
    ['looplens.future_field', J({ added: rng.below(1000) })],
    ['another.tool', 'its own note'],
    [metaKeys.weightsCrc, null],
  ];
}

function withMeta(m: RawModel, key: string, value: string | null): void {
  const rest = m.metadata_props.filter((e) => e.key !== key);
  m.metadata_props = value === null ? rest : [...rest, { key, value }];
}

/** Random damage to one metadata value (left unsigned). */
function damageMetadata(m: RawModel, rng: Rng): string {
  const entries = m.metadata_props.filter((e) => e.key !== CHECKSUM_KEY);
  const e = entries[rng.below(entries.length)]!;
  const mode = rng.below(6);
  if (mode === 0) {
    withMeta(m, e.key, null);
    return `${e.key} removed`;
  }
  if (mode === 1) {
    e.value = e.value.slice(0, rng.below(e.value.length + 1));
    return `${e.key} cut`;
  }
  let v: unknown;
  try {
    v = JSON.parse(e.value);
  } catch {
    e.value = `${e.value}x`;
    return `${e.key} text changed`;
  }
  if (v === null || typeof v !== 'object') {
    e.value = J(mode === 2 ? null : mode === 3 ? 1e9 : 'changed');
    return `${e.key} replaced`;
  }
  const keys = Object.keys(v as object);
  const k = keys[rng.below(Math.max(1, keys.length))] ?? 'x';
  const replacement = [null, 1e9, -1, 'text', [], {}, true, 0.5][rng.below(8)];
  (v as Record<string, unknown>)[k] = replacement;
  e.value = J(v);
  return `${e.key}.${k} → ${J(replacement)}`;
}

export interface Variant {
  family: VariantFamily;
  seed: number;
  /** What was done, for the report. */
  what: string;
  bytes?: Uint8Array;
  special?: SpecialPath;
}

/** The variant `seed` of `family` made from the pristine file's bytes. */
export function makeVariant(pristine: Uint8Array, config: LoopedConfig, family: VariantFamily, seed: number): Variant {
  const rng = new Rng(1_000_003 * (FAMILY_INDEX[family] + 1) + seed);
  const weights = new Set(paramSpecs(config).map((p) => p.name));
  const decode = () => decodeModelProto(pristine) as unknown as RawModel;
  const v = (what: string, bytes: Uint8Array): Variant => ({ family, seed, what, bytes });
  switch (family) {
    case 'truncate': {
      const len = seed % 10 === 0 ? rng.below(64) : rng.below(pristine.length);
      return v(`first ${len} of ${pristine.length} bytes`, pristine.slice(0, len));
    }
    case 'bitflip': {
      const at = rng.below(pristine.length);
      const bit = rng.below(8);
      const b = Uint8Array.from(pristine);
      b[at]! ^= 1 << bit;
      return v(`bit ${bit} of byte ${at}`, b);
    }
    case 'byteflips': {
      const b = Uint8Array.from(pristine);
      const k = 1 + rng.below(8);
      for (let i = 0; i < k; i++) b[rng.below(b.length)] = rng.below(256);
      return v(`${k} random bytes`, b);
    }
    case 'graph-edit': {
      const m = decode();
      const what = editGraph(m, rng, weights);
      return v(`${what} (unsigned)`, encodeModelProto(m));
    }
    case 'graph-edit-resigned': {
      const m = decode();
      const what = editGraph(m, rng, weights);
      return v(`${what} (re-signed)`, signModelBytes(stripChecksum(encodeModelProto(m))));
    }
    case 'metadata-edit': {
      const m = decode();
      const what = damageMetadata(m, rng);
      return v(`${what} (unsigned)`, encodeModelProto(m));
    }
    case 'metadata-resigned-invalid': {
      const edits = invalidEdits(config, rng);
      const [key, value] = edits[seed % edits.length]!;
      const m = decode();
      withMeta(m, key, value);
      return v(`${key} = ${value === null ? '(removed)' : value.slice(0, 60)} (re-signed)`, signModelBytes(stripChecksum(encodeModelProto(m))));
    }
    case 'metadata-resigned-benign': {
      const edits = benignEdits(rng);
      const [key, value] = edits[seed % edits.length]!;
      const m = decode();
      withMeta(m, key, value);
      return v(`${key} = ${value === null ? '(removed)' : value.slice(0, 60)} (re-signed)`, signModelBytes(stripChecksum(encodeModelProto(m))));
    }
    case 'special-path': {
      const special = SPECIAL_PATHS[seed % SPECIAL_PATHS.length]!;
      return { family, seed, what: special, special };
    }
  }
}

const FAMILY_INDEX: Record<VariantFamily, number> = Object.fromEntries(Object.keys(FULL_PLAN).map((k, i) => [k, i])) as Record<VariantFamily, number>;

/** Families whose files must be refused (anything but a clean error there is a failure). */
export function mustBeRefused(family: VariantFamily): boolean {
  return family !== 'graph-edit-resigned' && family !== 'metadata-resigned-benign';
}
