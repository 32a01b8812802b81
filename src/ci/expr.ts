// Expressions: `if:` conditions and `${{ ... }}` in strings, with GitHub
// Actions' semantics (loose equality that compares strings case-insensitively
// and coerces other types to numbers, && and || returning an operand, property
// access that yields null when missing, `.*` filters) and its functions:
// success() failure() always() cancelled() contains() startsWith() endsWith()
// format() join() toJSON() fromJSON() hashFiles().

export type Value = null | boolean | number | string | Value[] | { [k: string]: Value };

/** What an expression can see. */
export interface ExprContext {
  /** Named contexts: env, matrix, github, steps, needs, job, runner, secrets, inputs, strategy. */
  contexts: Record<string, Value>;
  /** For success()/failure()/cancelled(): the state of what came before. */
  status: { failed: boolean; cancelled: boolean };
  /** hashFiles(): the hash of the workspace files matching the patterns ('' when none). */
  hashFiles?: (patterns: string[]) => string;
}

type Ast =
  | { t: 'lit'; v: Value }
  | { t: 'ctx'; name: string }
  | { t: 'prop'; obj: Ast; key: Ast | string }
  | { t: 'star'; obj: Ast }
  | { t: 'not'; e: Ast }
  | { t: 'bin'; op: string; a: Ast; b: Ast }
  | { t: 'call'; fn: string; args: Ast[] };

const FUNCS: Record<string, [number, number]> = {
  success: [0, 0], failure: [0, 0], always: [0, 0], cancelled: [0, 0],
  contains: [2, 2], startswith: [2, 2], endswith: [2, 2], format: [1, 99], join: [1, 2], tojson: [1, 1], fromjson: [1, 1],
  hashfiles: [1, 99],
};
const STATUS_FUNCS = new Set(['success', 'failure', 'always', 'cancelled']);

interface Tok {
  k: 'num' | 'str' | 'id' | 'op' | 'end';
  v: string;
  pos: number;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let v = '';
      for (;;) {
        if (j >= s.length) throw new Error(`unterminated string at column ${i + 1}`);
        if (s[j] === "'") {
          if (s[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += s[j++];
      }
      out.push({ k: 'str', v, pos: i });
      i = j + 1;
      continue;
    }
    const num = /^(?:0x[0-9a-fA-F]+|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(s.slice(i));
    if (num && (c !== '-' || !out.length || out[out.length - 1]!.k === 'op')) {
      out.push({ k: 'num', v: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(s.slice(i));
    if (id) {
      out.push({ k: 'id', v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    const op = /^(?:==|!=|<=|>=|&&|\|\||[<>!().[\],*])/.exec(s.slice(i));
    if (op) {
      out.push({ k: 'op', v: op[0], pos: i });
      i += op[0].length;
      continue;
    }
    throw new Error(`unexpected "${c}" at column ${i + 1}`);
  }
  out.push({ k: 'end', v: '', pos: s.length });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private isOp(v: string): boolean {
    const t = this.peek();
    return t.k === 'op' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.isOp(v)) this.fail(`expected "${v}"`);
    this.i++;
  }

  private fail(msg: string): never {
    const t = this.peek();
    throw new Error(`${msg} at column ${t.pos + 1}${t.k === 'end' ? ' (end of expression)' : ` ("${t.v}")`}`);
  }

  parseAll(): Ast {
    const e = this.or();
    if (this.peek().k !== 'end') this.fail('unexpected token');
    return e;
  }

  private or(): Ast {
    let a = this.and();
    while (this.isOp('||')) {
      this.i++;
      a = { t: 'bin', op: '||', a, b: this.and() };
    }
    return a;
  }

  private and(): Ast {
    let a = this.eq();
    while (this.isOp('&&')) {
      this.i++;
      a = { t: 'bin', op: '&&', a, b: this.eq() };
    }
    return a;
  }

  private eq(): Ast {
    let a = this.cmp();
    while (this.isOp('==') || this.isOp('!=')) {
      const op = this.toks[this.i++]!.v;
      a = { t: 'bin', op, a, b: this.cmp() };
    }
    return a;
  }

  private cmp(): Ast {
    let a = this.unary();
    while (this.isOp('<') || this.isOp('>') || this.isOp('<=') || this.isOp('>=')) {
      const op = this.toks[this.i++]!.v;
      a = { t: 'bin', op, a, b: this.unary() };
    }
    return a;
  }

  private unary(): Ast {
    if (this.isOp('!')) {
      this.i++;
      return { t: 'not', e: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Ast): Ast {
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        if (this.isOp('*')) {
          this.i++;
          e = { t: 'star', obj: e };
          continue;
        }
        const t = this.peek();
        if (t.k !== 'id') this.fail('expected a property name');
        this.i++;
        e = { t: 'prop', obj: e, key: t.v };
      } else if (this.isOp('[')) {
        this.i++;
        if (this.isOp('*')) {
          this.i++;
          this.expect(']');
          e = { t: 'star', obj: e };
          continue;
        }
        const k = this.or();
        this.expect(']');
        e = { t: 'prop', obj: e, key: k };
      } else {
        return e;
      }
    }
  }

  private primary(): Ast {
    const t = this.peek();
    if (t.k === 'num') {
      this.i++;
      return { t: 'lit', v: Number(t.v) };
    }
    if (t.k === 'str') {
      this.i++;
      return { t: 'lit', v: t.v };
    }
    if (t.k === 'id') {
      this.i++;
      if (t.v === 'true' || t.v === 'false') return { t: 'lit', v: t.v === 'true' };
      if (t.v === 'null') return { t: 'lit', v: null };
      if (this.isOp('(')) {
        this.i++;
        const fn = t.v.toLowerCase();
        const arity = FUNCS[fn];
        if (!arity) throw new Error(`unknown function ${t.v}() at column ${t.pos + 1}`);
        const args: Ast[] = [];
        if (!this.isOp(')')) {
          args.push(this.or());
          while (this.isOp(',')) {
            this.i++;
            args.push(this.or());
          }
        }
        this.expect(')');
        if (args.length < arity[0] || args.length > arity[1]) throw new Error(`${t.v}() takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} arguments, not ${args.length}`);
        return { t: 'call', fn, args };
      }
      return { t: 'ctx', name: t.v };
    }
    if (this.isOp('(')) {
      this.i++;
      const e = this.or();
      this.expect(')');
      return e;
    }
    this.fail('expected a value');
  }
}

const cache = new Map<string, Ast>();

export function parseExpression(s: string): Ast {
  let a = cache.get(s);
  if (!a) {
    a = new Parser(tokenize(s)).parseAll();
    cache.set(s, a);
  }
  return a;
}

/** The text of an `if:` without its optional `${{ }}` wrapper. */
function unwrap(s: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(s);
  return m && !m[1]!.includes('}}') ? m[1]! : s;
}

/** Why `s` (an `if:` condition) is not a valid expression, or null. */
export function expressionError(s: string): string | null {
  try {
    parseExpression(unwrap(s));
    return null;
  } catch (e) {
    return `invalid expression: ${(e as Error).message}`;
  }
}

/** The `${{ }}` parts of a string: [literal, expr, literal, expr, ..., literal]. */
function splitTemplate(s: string): string[] {
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const at = s.indexOf('${{', i);
    if (at < 0) break;
    let j = at + 3;
    let inStr = false;
    for (; j < s.length; j++) {
      if (s[j] === "'") inStr = !inStr;
      else if (!inStr && s[j] === '}' && s[j + 1] === '}') break;
    }
    if (j >= s.length) throw new Error(`unterminated "\${{" at offset ${at}`);
    parts.push(s.slice(i, at), s.slice(at + 3, j));
    i = j + 2;
  }
  parts.push(s.slice(i));
  return parts;
}

/** Why a string's `${{ }}` parts are not valid, or null. */
export function templateError(s: string): string | null {
  if (!s.includes('${{')) return null;
  try {
    const parts = splitTemplate(s);
    for (let i = 1; i < parts.length; i += 2) parseExpression(parts[i]!);
    return null;
  } catch (e) {
    return `invalid expression: ${(e as Error).message}`;
  }
}

/** Replaces each `${{ expr }}` of `s` with the expression's value as a string. */
export function interpolate(s: string, ctx: ExprContext): string {
  if (!s.includes('${{')) return s;
  const parts = splitTemplate(s);
  let out = '';
  parts.forEach((p, i) => (out += i % 2 ? toStr(evaluate(parseExpression(p), ctx)) : p));
  return out;
}

/** Evaluates an expression (no `${{ }}`). */
export function evaluateExpression(s: string, ctx: ExprContext): Value {
  return evaluate(parseExpression(s), ctx);
}

function usesStatus(a: Ast): boolean {
  switch (a.t) {
    case 'call':
      return STATUS_FUNCS.has(a.fn) || a.args.some(usesStatus);
    case 'not':
      return usesStatus(a.e);
    case 'bin':
      return usesStatus(a.a) || usesStatus(a.b);
    case 'prop':
      return usesStatus(a.obj) || (typeof a.key !== 'string' && usesStatus(a.key));
    case 'star':
      return usesStatus(a.obj);
    default:
      return false;
  }
}

/**
 * An `if:` condition: true when it holds. Without a status function it is
 * `success() && (condition)`, as on GitHub; absent, it is `success()`.
 */
export function evaluateCondition(cond: string | undefined, ctx: ExprContext): boolean {
  const ok = !ctx.status.failed && !ctx.status.cancelled;
  if (cond === undefined || cond.trim() === '') return ok;
  const a = parseExpression(unwrap(cond));
  if (!usesStatus(a) && !ok) return false;
  return truthy(evaluate(a, ctx));
}

export function truthy(v: Value): boolean {
  if (v === null || v === false || v === '' || v === 0) return false;
  if (typeof v === 'number' && Number.isNaN(v)) return false;
  return true;
}

export function toStr(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return Array.isArray(v) ? 'Array' : 'Object';
}

function toNum(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

function looseEq(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' && a !== null) return a === b;
  if (typeof b === 'object' && b !== null) return false;
  if (typeof a === typeof b) return a === b;
  return toNum(a) === toNum(b);
}

function compare(op: string, a: Value, b: Value): boolean {
  let x: number | string;
  let y: number | string;
  if (typeof a === 'string' && typeof b === 'string') {
    x = a.toLowerCase();
    y = b.toLowerCase();
  } else {
    x = toNum(a);
    y = toNum(b);
  }
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    default:
      return x >= y;
  }
}

function getProp(obj: Value, key: Value): Value {
  if (Array.isArray(obj)) {
    if (typeof key === 'number') return obj[key] ?? null;
    // Property access on a filtered array (`needs.*.result`) maps it.
    return obj.map((e) => getProp(e, key)).filter((e) => e !== null);
  }
  if (obj === null || typeof obj !== 'object') return null;
  const k = toStr(key);
  if (Object.prototype.hasOwnProperty.call(obj, k)) return obj[k]!;
  const lower = k.toLowerCase();
  for (const [kk, v] of Object.entries(obj)) if (kk.toLowerCase() === lower) return v;
  return null;
}

function evaluate(a: Ast, ctx: ExprContext): Value {
  switch (a.t) {
    case 'lit':
      return a.v;
    case 'ctx': {
      const v = getProp(ctx.contexts, a.name);
      if (v === null && !Object.keys(ctx.contexts).some((k) => k.toLowerCase() === a.name.toLowerCase())) {
        throw new Error(`unknown context "${a.name}"`);
      }
      return v;
    }
    case 'prop':
      return getProp(evaluate(a.obj, ctx), typeof a.key === 'string' ? a.key : evaluate(a.key, ctx));
    case 'star': {
      const o = evaluate(a.obj, ctx);
      if (Array.isArray(o)) return o;
      return o !== null && typeof o === 'object' ? Object.values(o) : [];
    }
    case 'not':
      return !truthy(evaluate(a.e, ctx));
    case 'bin': {
      const x = evaluate(a.a, ctx);
      if (a.op === '&&') return truthy(x) ? evaluate(a.b, ctx) : x;
      if (a.op === '||') return truthy(x) ? x : evaluate(a.b, ctx);
      const y = evaluate(a.b, ctx);
      if (a.op === '==') return looseEq(x, y);
      if (a.op === '!=') return !looseEq(x, y);
      return compare(a.op, x, y);
    }
    case 'call':
      return call(a.fn, a.args, ctx);
  }
}

function call(fn: string, argAsts: Ast[], ctx: ExprContext): Value {
  const s = ctx.status;
  switch (fn) {
    case 'success':
      return !s.failed && !s.cancelled;
    case 'failure':
      return s.failed && !s.cancelled;
    case 'always':
      return true;
    case 'cancelled':
      return s.cancelled;
  }
  const args = argAsts.map((x) => evaluate(x, ctx));
  switch (fn) {
    case 'contains': {
      const [hay, needle] = args as [Value, Value];
      if (Array.isArray(hay)) return hay.some((e) => looseEq(e, needle));
      return toStr(hay).toLowerCase().includes(toStr(needle).toLowerCase());
    }
    case 'startswith':
      return toStr(args[0]!).toLowerCase().startsWith(toStr(args[1]!).toLowerCase());
    case 'endswith':
      return toStr(args[0]!).toLowerCase().endsWith(toStr(args[1]!).toLowerCase());
    case 'format': {
      const f = toStr(args[0]!);
      return f.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n: string | undefined) => (m === '{{' ? '{' : m === '}}' ? '}' : toStr(args[Number(n) + 1] ?? null)));
    }
    case 'join': {
      const sep = args.length > 1 ? toStr(args[1]!) : ',';
      return Array.isArray(args[0]) ? args[0].map(toStr).join(sep) : toStr(args[0]!);
    }
    case 'tojson':
      return JSON.stringify(args[0], null, 2);
    case 'fromjson':
      try {
        return JSON.parse(toStr(args[0]!)) as Value;
      } catch (e) {
        throw new Error(`fromJSON: ${(e as Error).message}`);
      }
    case 'hashfiles':
      if (!ctx.hashFiles) throw new Error('hashFiles() is not available here');
      return ctx.hashFiles(args.map(toStr));
  }
  throw new Error(`unknown function ${fn}()`);
}
