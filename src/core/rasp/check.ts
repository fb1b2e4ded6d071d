// Static checks that need no input: every name is defined before it is used, calls to known
// functions have the right arguments, builtins are not reassigned, functions end with `return`
// and never call themselves (RASP-L has no recursion, which also keeps every run bounded).
import type { DefStmt, Expr, Program, Stmt } from './ast';
import { RaspError, type SourceSpan } from './errors';
import { builtinEnv, reservedNames } from './interpreter';
import { isFunction } from './values';
import { editDistance } from '../util/editDistance';

interface Signature {
  params: { name: string; optional: boolean }[];
}

/** Names visible at a point: looked up, never copied (copying the globals per def made checking quadratic). */
interface Scope {
  has(name: string): boolean;
}

/** "Did you mean" hints cost a scan of the globals each; after this many a file gets none (keeps checking linear). */
const MAX_SUGGESTIONS = 50;

export function checkProgram(program: Program): RaspError[] {
  return new Checker(program).run();
}

class Checker {
  private readonly errors: RaspError[] = [];
  private readonly reserved = reservedNames();
  private readonly signatures = new Map<string, Signature>();
  /** Every name a def body may read: builtins, defs, and all globals assigned anywhere. */
  private readonly globals = new Set<string>();
  private suggestionsLeft = MAX_SUGGESTIONS;

  constructor(private readonly program: Program) {}

  private error(message: string, span: SourceSpan): void {
    this.errors.push(new RaspError('check', message, span));
  }

  run(): RaspError[] {
    const p = this.program;
    for (const [name, v] of builtinEnv().entries()) {
      this.globals.add(name);
      if (isFunction(v)) {
        const params = v.type === 'builtin' ? v.params.map((q) => ({ name: q.name, optional: q.default !== undefined })) : v.type === 'def' ? v.def.params.map((q) => ({ name: q.name, optional: q.default !== undefined })) : [];
        this.signatures.set(name, { params });
      }
    }
    this.globals.add('tokens');
    this.globals.add('indices');

    const defNames = new Set<string>();
    for (const d of p.defs) {
      if (this.reserved.has(d.name)) this.error(`"${d.name}" is a built-in or library function and cannot be redefined; choose another name`, d.nameSpan);
      else if (defNames.has(d.name)) this.error(`function "${d.name}" is defined twice`, d.nameSpan);
      defNames.add(d.name);
      this.globals.add(d.name);
      this.signatures.set(d.name, { params: d.params.map((q) => ({ name: q.name, optional: q.default !== undefined })) });
    }
    const blocks = [p.top, p.blocks.pre?.body ?? [], p.blocks.step?.body ?? [], p.blocks.post?.body ?? []];
    for (const body of blocks) {
      for (const s of body) {
        if (s.kind === 'assign') {
          if (this.reserved.has(s.target) || defNames.has(s.target)) {
            this.error(`cannot assign to "${s.target}": it is ${defNames.has(s.target) ? 'a function defined in this file' : s.target === 'tokens' || s.target === 'indices' ? 'the input' : 'a built-in or library name'}`, s.targetSpan);
          }
          this.globals.add(s.target);
        }
      }
    }

    for (const d of p.defs) this.checkDef(d);
    // Execution order: top level, pre, step (repeated), post.
    const defined = new Set<string>([...this.reserved, ...defNames]);
    const order: [Stmt[], string][] = [
      [p.top, 'the top level'],
      [p.blocks.pre?.body ?? [], 'pre:'],
      [p.blocks.step?.body ?? [], 'step:'],
      [p.blocks.post?.body ?? [], 'post:'],
    ];
    for (const [body, where] of order) {
      for (const s of body) {
        if (s.kind === 'return') {
          this.error(`"return" is only allowed inside def (found in ${where})`, s.span);
          continue;
        }
        if (s.kind === 'assign') {
          this.checkExpr(s.value, defined, where === 'step:' ? (name) => `"${name}" is used in step: before it has a value: give it a starting value at the top level or in pre:` : undefined);
          defined.add(s.target);
        }
      }
    }
    this.checkRecursion();
    return this.errors;
  }

  private checkDef(d: DefStmt): void {
    const locals = new Set<string>(d.params.map((q) => q.name));
    const scope: Scope & { add(name: string): void } = { has: (n) => locals.has(n) || this.globals.has(n), add: (n) => locals.add(n) };
    for (const q of d.params) {
      if (q.name === 'tokens' || q.name === 'indices') this.error(`parameter "${q.name}" would hide the input; choose another name`, q.span);
      if (q.default !== undefined) this.checkExpr(q.default, this.globals);
    }
    d.body.forEach((s, i) => {
      if (s.kind === 'return' && i < d.body.length - 1) this.error(`statements after "return" in ${d.name}() never run`, d.body[i + 1]!.span);
      if (s.kind === 'assign') {
        if (s.target === 'tokens' || s.target === 'indices') this.error(`cannot assign to "${s.target}": it is the input`, s.targetSpan);
        this.checkExpr(s.value, scope);
        scope.add(s.target);
      } else if (s.kind === 'return') this.checkExpr(s.value, scope);
    });
    const last = d.body[d.body.length - 1];
    if (last === undefined || last.kind !== 'return') this.error(`${d.name}() must end with "return …"`, last?.span ?? d.nameSpan);
  }

  /** Reports names that are unknown, or known but not assigned yet (`earlyMessage` words that case). */
  private checkExpr(e: Expr, scope: Scope, earlyMessage?: (name: string) => string): void {
    // Inside a lambda, names are looked up when it is called, so any global will do.
    const visit = (x: Expr, bound: Set<string>, inLambda = false): void => {
      switch (x.kind) {
        case 'int':
          return;
        case 'name':
          if (!bound.has(x.name) && !scope.has(x.name) && !(inLambda && this.globals.has(x.name))) {
            if (earlyMessage !== undefined && this.globals.has(x.name)) this.error(earlyMessage(x.name), x.span);
            else if (this.globals.has(x.name)) this.error(`"${x.name}" is used before it has a value (it is assigned later)`, x.span);
            else this.error(`"${x.name}" is not defined${this.suggest(x.name)}`, x.span);
          }
          return;
        case 'lambda': {
          const inner = new Set([...bound, ...x.params]);
          visit(x.body, inner, true);
          return;
        }
        case 'unary':
          visit(x.operand, bound, inLambda);
          return;
        case 'binary':
          visit(x.left, bound, inLambda);
          visit(x.right, bound, inLambda);
          return;
        case 'cond':
          visit(x.test, bound, inLambda);
          visit(x.then, bound, inLambda);
          visit(x.otherwise, bound, inLambda);
          return;
        case 'call':
          visit(x.callee, bound, inLambda);
          x.args.forEach((a) => visit(a, bound, inLambda));
          x.kwargs.forEach((k) => visit(k.value, bound, inLambda));
          if (x.callee.kind === 'name' && !bound.has(x.callee.name)) this.checkCall(x.callee.name, x);
          return;
      }
    };
    visit(e, new Set());
  }

  private checkCall(name: string, call: Extract<Expr, { kind: 'call' }>): void {
    const sig = this.signatures.get(name);
    if (sig === undefined) return;
    const total = sig.params.length;
    const required = sig.params.filter((p) => !p.optional).length;
    const range = required === total ? `${total}` : `${required} to ${total}`;
    if (call.args.length > total) {
      this.error(`${name}() takes ${range} argument${total === 1 ? '' : 's'} (${sig.params.map((p) => p.name).join(', ')}) but ${call.args.length} were given`, call.span);
      return;
    }
    const given = new Set(sig.params.slice(0, call.args.length).map((p) => p.name));
    for (const k of call.kwargs) {
      if (!sig.params.some((p) => p.name === k.name)) this.error(`${name}() has no parameter "${k.name}" (parameters: ${sig.params.map((p) => p.name).join(', ') || 'none'})`, k.span);
      else if (given.has(k.name)) this.error(`${name}() got two values for "${k.name}"`, k.span);
      given.add(k.name);
    }
    const missing = sig.params.filter((p) => !p.optional && !given.has(p.name));
    if (missing.length > 0) this.error(`${name}() is missing ${missing.length === 1 ? 'the argument' : 'the arguments'} ${missing.map((p) => `"${p.name}"`).join(', ')} (it takes ${sig.params.map((p) => p.name).join(', ')})`, call.span);
  }

  private suggest(name: string): string {
    if (name.length < 3 || this.suggestionsLeft <= 0) return '';
    this.suggestionsLeft--;
    let best = '';
    let bestScore = Infinity;
    for (const g of this.globals) {
      const d = nameDistance(name, g);
      if (d < bestScore) {
        bestScore = d;
        best = g;
      }
    }
    return bestScore <= Math.max(1, Math.floor(name.length / 2)) ? `; did you mean "${best}"?` : '';
  }

  private checkRecursion(): void {
    const defs = new Map(this.program.defs.map((d) => [d.name, d]));
    const calls = new Map<string, Set<string>>();
    for (const d of this.program.defs) {
      const used = new Set<string>();
      const params = new Set(d.params.map((q) => q.name));
      const visit = (x: Expr) => {
        if (x.kind === 'name' && defs.has(x.name) && !params.has(x.name)) used.add(x.name);
        if (x.kind === 'lambda') visit(x.body);
        if (x.kind === 'unary') visit(x.operand);
        if (x.kind === 'binary') [x.left, x.right].forEach(visit);
        if (x.kind === 'cond') [x.test, x.then, x.otherwise].forEach(visit);
        if (x.kind === 'call') [x.callee, ...x.args, ...x.kwargs.map((k) => k.value)].forEach(visit);
      };
      d.body.forEach((s) => s.kind !== 'pass' && visit(s.value));
      calls.set(d.name, used);
    }
    for (const path of callCycles(this.program.defs.map((d) => d.name), calls)) {
      const d = defs.get(path[0]!)!;
      this.error(`recursion is not allowed in RASP-L: ${path.join(' → ')}`, d.nameSpan);
    }
  }
}

/**
 * One cycle (as a path `a → … → a`) per strongly connected component of the call graph that has
 * one, starting at the component's first def in source order. Tarjan's algorithm, iterative (no
 * stack overflow on long call chains) and linear in defs + calls.
 */
export function callCycles(order: string[], calls: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const root of order) {
    if (index.has(root)) continue;
    const work: { name: string; it: Iterator<string> }[] = [];
    const enter = (name: string) => {
      index.set(name, next);
      low.set(name, next);
      next++;
      stack.push(name);
      onStack.add(name);
      work.push({ name, it: (calls.get(name) ?? new Set<string>()).values() });
    };
    enter(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const step = top.it.next();
      if (!step.done) {
        const w = step.value;
        if (!calls.has(w)) continue;
        if (!index.has(w)) enter(w);
        else if (onStack.has(w)) low.set(top.name, Math.min(low.get(top.name)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.name;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.name)!));
      }
      if (low.get(top.name) === index.get(top.name)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== top.name);
        components.push(comp);
      }
    }
  }
  const position = new Map(order.map((n, i) => [n, i]));
  const out: { at: number; path: string[] }[] = [];
  for (const comp of components) {
    const members = new Set(comp);
    const start = comp.reduce((a, b) => (position.get(a)! <= position.get(b)! ? a : b));
    if (comp.length === 1 && !calls.get(start)?.has(start)) continue;
    out.push({ at: position.get(start)!, path: cycleThrough(start, members, calls) });
  }
  return out.sort((a, b) => a.at - b.at).map((c) => c.path);
}

/** A path from `start` back to itself inside one strongly connected component (breadth-first, linear). */
function cycleThrough(start: string, members: Set<string>, calls: Map<string, Set<string>>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of calls.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let x: string | undefined = v; x !== undefined && x !== start; x = parent.get(x)) path.push(x);
        path.push(start);
        return [start, ...path.slice(1, -1).reverse(), start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** Names more than 3 characters apart in length are never suggested: skip the distance. */
function nameDistance(a: string, b: string): number {
  return Math.abs(a.length - b.length) > 3 ? 99 : editDistance(a, b);
}
