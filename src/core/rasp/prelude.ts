// The RASP-L library, written in RASP-L on top of the primitives (full, tok_map, seq_map,
// select, aggregate, selector_width, kqv). Loaded before every program; its functions cannot be
// redefined. Every select here is causal: a position only reads itself and earlier positions.
import type { Program } from './ast';
import { parseProgram } from './parser';

export const PRELUDE_SOURCE = `# RASP-L library (written in RASP-L)

def shift_right(x, n, default=0):
    # x moved n >= 0 positions to the right: the value n positions earlier; default where there is none
    return kqv(indices + n, indices, x, equals, default)

def cumsum(b):
    # how many positions at or before this one have b != 0
    return selector_width(select(b != 0, 1, equals))

def where(cond, x, y):
    # x where cond is nonzero, else y
    return x if cond else y

def mask(x, keep, default=0):
    # x where keep is nonzero, else default
    return x if keep else default

def num_prev(x, queries):
    # how many positions at or before this one hold this position's query value
    return selector_width(select(x, queries, equals))

def has_seen(x, queries):
    # 1 where the query value occurs at or before this position, else 0
    return kqv(x, queries, 1, equals, 0, reduction=max)

def firsts(x, queries, default=-1):
    # index of the first position (at or before this one) where x equals the query
    return kqv(x, queries, indices, equals, default, reduction=min)

def lasts(x, queries, default=-1):
    # index of the last position (at or before this one) where x equals the query
    return kqv(x, queries, indices, equals, default, reduction=max)

def index_select(x, idx, default=0):
    # x at position idx (idx must not lie ahead of the reading position)
    return kqv(indices, idx, x, equals, default)

def prev_index(k, q, default=-1):
    # index of the last strictly earlier position whose k equals this position's q
    return aggregate(select(k, q, equals) & select(indices, indices, lt), indices, default, reduction=max)

def induct_kqv(k, q, v, offset, default=0):
    # v at offset positions after the last earlier position whose k equals q (induction head)
    src = prev_index(k, q)
    return where(src >= 0, kqv(indices, src + offset, v, equals, default), default)

def induct(x, offset=1, default=0):
    # copy at an offset: the token that followed the previous occurrence of this token
    return induct_kqv(x, x, x, offset, default)
`;

let cached: Program | null = null;

/** The parsed prelude (parsed once). A broken prelude is a bug in LoopLens, so it throws. */
export function preludeProgram(): Program {
  if (cached !== null) return cached;
  const { program, errors } = parseProgram(PRELUDE_SOURCE, '<prelude>');
  if (errors.length > 0) throw new Error(`RASP-L prelude does not parse: ${errors[0]!.format('<prelude>')}`);
  cached = program;
  return program;
}
