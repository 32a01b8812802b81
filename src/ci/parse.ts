// Reads a pipeline file (tsvisor's own format, or a GitHub Actions workflow)
// into the model of src/ci/model.ts, checking every field: each problem names
// the line, column and field it is about (PipelineError).
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Document } from 'yaml';
import { parseRule } from '../net/policy.js';
import { parseSize as parseBytes } from '../kernel/limits.js';
import { expressionError, templateError } from './expr.js';
import {
  type CacheDef, type JobDef, type JobLimits, type Loc, type MatrixDef, PipelineError, type PipelineDef, type PipelineProblem,
  type RunsIn, type Shell, type StepDef,
} from './model.js';

type Kind = PipelineDef['kind'];

const TOP_KEYS: Record<Kind, string[]> = {
  pipeline: ['name', 'env', 'defaults', 'jobs'],
  github: ['name', 'run-name', 'on', 'env', 'defaults', 'jobs', 'permissions', 'concurrency'],
};
const JOB_KEYS: Record<Kind, string[]> = {
  pipeline: [
    'name', 'needs', 'runs-in', 'runs-on', 'env', 'steps', 'if', 'timeout-minutes', 'continue-on-error', 'strategy', 'limits',
    'network', 'allow-net', 'artifacts', 'cache', 'outputs', 'defaults',
  ],
  github: [
    'name', 'needs', 'runs-on', 'env', 'steps', 'if', 'timeout-minutes', 'continue-on-error', 'strategy', 'outputs', 'defaults',
    'permissions', 'concurrency', 'environment',
  ],
};
/** GitHub job keys whose meaning tsvisor cannot give: refused, never ignored. */
const GITHUB_UNSUPPORTED_JOB_KEYS: Record<string, string> = {
  container: 'jobs in a container image are not supported (the job runs in a sandbox of the host)',
  services: 'service containers are not supported',
  uses: 'reusable workflows are not supported',
};
const STEP_KEYS = ['name', 'id', 'run', 'uses', 'with', 'shell', 'env', 'working-directory', 'timeout-minutes', 'continue-on-error', 'if'];
const SHELLS: Shell[] = ['sh', 'bash', 'python'];
const ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Parses "512M", "1G", "100k" (kernel/limits.ts parseSize) or a number of bytes; null unless positive. */
export function parseSize(v: string | number): number | null {
  const n = typeof v === 'number' ? (Number.isFinite(v) ? Math.floor(v) : 0) : (parseBytes(v) ?? 0);
  return n > 0 ? n : null;
}

class Checker {
  readonly problems: PipelineProblem[] = [];
  constructor(
    private readonly lc: LineCounter,
    private readonly doc: Document,
  ) {}

  loc(n: Node | null | undefined): Loc {
    const off = n?.range?.[0] ?? 0;
    const p = this.lc.linePos(off);
    return { line: p.line, col: p.col };
  }

  err(n: Node | null | undefined, field: string, message: string): void {
    this.problems.push({ ...this.loc(n), field, message });
  }

  deref(n: unknown): Node | null {
    if (n === null || n === undefined) return null;
    if (isAlias(n)) return (n.resolve(this.doc) as Node | undefined) ?? null;
    return n as Node;
  }

  /** The entries of a mapping, keys checked against `allowed` (when given). */
  map(n: Node | null, field: string, allowed?: string[]): Map<string, { key: Node; value: Node | null }> | null {
    const out = new Map<string, { key: Node; value: Node | null }>();
    if (n === null) return out;
    if (!isMap(n)) {
      this.err(n, field, 'must be a mapping');
      return null;
    }
    for (const pair of n.items) {
      const key = pair.key as Node;
      const k = isScalar(key) ? String(key.value) : null;
      if (k === null) {
        this.err(key, field, 'keys must be plain strings');
        continue;
      }
      if (allowed && !allowed.includes(k)) {
        this.err(key, field ? `${field}.${k}` : k, `unknown field (expected one of: ${allowed.join(', ')})`);
        continue;
      }
      out.set(k, { key, value: this.deref(pair.value) });
    }
    return out;
  }

  /** A scalar as a string (numbers and booleans as YAML wrote them). */
  str(n: Node | null, field: string, opts: { template?: boolean } = {}): string | undefined {
    if (n === null) return undefined;
    if (!isScalar(n) || n.value === null || typeof n.value === 'object') {
      this.err(n, field, 'must be a string');
      return undefined;
    }
    const s = String(n.value);
    if (opts.template !== false) {
      const e = templateError(s);
      if (e) this.err(n, field, e);
    }
    return s;
  }

  num(n: Node | null, field: string): number | undefined {
    if (n === null) return undefined;
    if (!isScalar(n) || typeof n.value !== 'number' || !(n.value > 0)) {
      this.err(n, field, 'must be a positive number');
      return undefined;
    }
    return n.value;
  }

  /** A boolean, or an expression (`${{ ... }}`) evaluated later. */
  boolish(n: Node | null, field: string): boolean | string | undefined {
    if (n === null) return undefined;
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    if (isScalar(n) && typeof n.value === 'string' && n.value.includes('${{')) return this.str(n, field);
    this.err(n, field, 'must be true, false or an expression');
    return undefined;
  }

  condition(n: Node | null, field: string): string | undefined {
    if (n === null) return undefined;
    if (isScalar(n) && typeof n.value === 'boolean') return String(n.value);
    const s = this.str(n, field, { template: false });
    if (s === undefined) return undefined;
    const e = expressionError(s);
    if (e) this.err(n, field, e);
    return s;
  }

  /** A string or a list of strings. */
  list(n: Node | null, field: string): string[] {
    if (n === null) return [];
    if (isScalar(n)) {
      const s = this.str(n, field);
      return s === undefined ? [] : [s];
    }
    if (!isSeq(n)) {
      this.err(n, field, 'must be a string or a list of strings');
      return [];
    }
    const out: string[] = [];
    n.items.forEach((it, i) => {
      const s = this.str(this.deref(it), `${field}[${i}]`);
      if (s !== undefined) out.push(s);
    });
    return out;
  }

  env(n: Node | null, field: string): Record<string, string> {
    const out: Record<string, string> = {};
    const m = this.map(n, field);
    if (!m) return out;
    for (const [k, { key, value }] of m) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) this.err(key, `${field}.${k}`, 'not a valid environment variable name');
      if (value === null) {
        out[k] = '';
        continue;
      }
      const s = this.str(value, `${field}.${k}`);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }

  shell(n: Node | null, field: string): Shell | undefined {
    const s = this.str(n, field, { template: false });
    if (s === undefined) return undefined;
    if (!(SHELLS as string[]).includes(s)) {
      this.err(n, field, `unsupported shell "${s}" (supported: ${SHELLS.join(', ')})`);
      return undefined;
    }
    return s as Shell;
  }

  defaults(n: Node | null, field: string): { shell?: Shell; workingDirectory?: string } {
    const m = this.map(n, field, ['run']);
    const run = m?.get('run');
    if (!run) return {};
    const r = this.map(run.value, `${field}.run`, ['shell', 'working-directory']);
    if (!r) return {};
    return {
      shell: this.shell(r.get('shell')?.value ?? null, `${field}.run.shell`),
      workingDirectory: this.str(r.get('working-directory')?.value ?? null, `${field}.run.working-directory`),
    };
  }

  /** A plain YAML value (matrix values), aliases resolved. */
  plain(n: Node | null): unknown {
    if (n === null) return null;
    return n.toJSON();
  }
}

/** Parses and checks the text of a pipeline file; throws PipelineError naming every problem. */
export function parsePipeline(text: string, file: string, kindHint?: Kind): PipelineDef {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new PipelineError(
      file,
      doc.errors.map((e) => {
        const p = lc.linePos(e.pos[0]);
        return { line: p.line, col: p.col, field: '(yaml)', message: e.message.split('\n')[0]! };
      }),
    );
  }
  const c = new Checker(lc, doc);
  const root = c.deref(doc.contents);
  if (root === null || !isMap(root)) {
    c.err(root, '(top)', 'a pipeline file is a mapping with a "jobs" field');
    throw new PipelineError(file, c.problems);
  }
  const hasOn = root.items.some((p) => isScalar(p.key) && p.key.value === 'on');
  const kind: Kind = kindHint ?? (hasOn || /(^|\/)\.github\/workflows\//.test(file) ? 'github' : 'pipeline');
  const top = c.map(root, '', TOP_KEYS[kind])!;
  const name = c.str(top.get('name')?.value ?? null, 'name') ?? file;
  const env = c.env(top.get('env')?.value ?? null, 'env');
  const defaults = c.defaults(top.get('defaults')?.value ?? null, 'defaults');
  const jobsEntry = top.get('jobs');
  if (!jobsEntry) c.err(root, 'jobs', 'missing: a pipeline needs at least one job');
  const jobsMap = jobsEntry ? c.map(jobsEntry.value, 'jobs') : null;
  const jobs: JobDef[] = [];
  const keys = new Map<string, Node>();
  if (jobsMap) {
    if (jobsMap.size === 0) c.err(jobsEntry!.value ?? jobsEntry!.key, 'jobs', 'at least one job is needed');
    for (const [id, { key, value }] of jobsMap) {
      keys.set(id, key);
      if (!ID.test(id)) c.err(key, `jobs.${id}`, 'a job id is letters, digits, "_" and "-", starting with a letter or "_"');
      const j = parseJob(c, kind, id, key, value);
      if (j) jobs.push(j);
    }
  }
  // needs: known jobs, no cycles.
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const j of jobs) {
    for (const n of j.needs) if (!keys.has(n)) c.problems.push({ ...j.loc, field: `jobs.${j.id}.needs`, message: `unknown job "${n}"` });
  }
  const state = new Map<string, 1 | 2>();
  const visit = (j: JobDef, path: string[]): void => {
    if (state.get(j.id) === 2) return;
    if (state.get(j.id) === 1) {
      c.problems.push({ ...j.loc, field: `jobs.${j.id}.needs`, message: `dependency cycle: ${[...path, j.id].join(' → ')}` });
      return;
    }
    state.set(j.id, 1);
    for (const n of j.needs) {
      const d = byId.get(n);
      if (d) visit(d, [...path, j.id]);
    }
    state.set(j.id, 2);
  };
  for (const j of jobs) visit(j, []);
  if (c.problems.length) throw new PipelineError(file, c.problems.sort((a, b) => a.line - b.line || a.col - b.col));
  return { file, kind, name, env, defaults, jobs };
}

function parseJob(c: Checker, kind: Kind, id: string, keyNode: Node, n: Node | null): JobDef | null {
  const f = `jobs.${id}`;
  if (n !== null && isMap(n) && kind === 'github') {
    for (const p of n.items) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      if (GITHUB_UNSUPPORTED_JOB_KEYS[k]) c.err(p.key as Node, `${f}.${k}`, GITHUB_UNSUPPORTED_JOB_KEYS[k]!);
    }
  }
  const allowed = kind === 'github' ? [...JOB_KEYS.github, ...Object.keys(GITHUB_UNSUPPORTED_JOB_KEYS)] : JOB_KEYS.pipeline;
  const m = c.map(n, f, allowed);
  if (!m) return null;
  const get = (k: string): Node | null => m.get(k)?.value ?? null;
  const loc = c.loc(keyNode);
  const job: JobDef = {
    id,
    name: c.str(get('name'), `${f}.name`),
    needs: c.list(get('needs'), `${f}.needs`),
    runsIn: { kind: 'host' },
    env: c.env(get('env'), `${f}.env`),
    steps: [],
    if: c.condition(get('if'), `${f}.if`),
    timeoutMinutes: c.num(get('timeout-minutes'), `${f}.timeout-minutes`) ?? 360,
    continueOnError: c.boolish(get('continue-on-error'), `${f}.continue-on-error`) ?? false,
    failFast: true,
    limits: {},
    network: 'none',
    allowNet: [],
    artifacts: c.list(get('artifacts'), `${f}.artifacts`),
    outputs: {},
    defaults: c.defaults(get('defaults'), `${f}.defaults`),
    loc,
  };
  // runs-on (GitHub) names a runner: every job runs in a sandbox of this host.
  if (m.has('runs-on')) {
    const ro = get('runs-on');
    if (ro !== null && !isScalar(ro) && !isSeq(ro) && !isMap(ro)) c.err(ro, `${f}.runs-on`, 'must be a string, a list or a mapping');
  } else if (kind === 'github') {
    c.err(keyNode, `${f}.runs-on`, 'missing (GitHub requires it; tsvisor runs every job in a sandbox of this host)');
  }
  const ri = get('runs-in');
  if (ri !== null) job.runsIn = parseRunsIn(c, ri, `${f}.runs-in`) ?? job.runsIn;
  const net = get('network');
  if (net !== null) {
    const s = c.str(net, `${f}.network`, { template: false });
    if (s === 'none' || s === 'host') job.network = s;
    else if (s !== undefined) c.err(net, `${f}.network`, `"${s}": must be "none" (the default) or "host"`);
  }
  const allow = get('allow-net');
  if (allow !== null) {
    job.allowNet = c.list(allow, `${f}.allow-net`);
    for (const r of job.allowNet) {
      const p = parseRule(r);
      if (typeof p === 'string') c.err(allow, `${f}.allow-net`, p);
    }
    if (job.network !== 'host') c.err(allow, `${f}.allow-net`, 'needs "network: host"');
  }
  const lim = get('limits');
  if (lim !== null) job.limits = parseLimits(c, lim, `${f}.limits`);
  const st = get('strategy');
  if (st !== null) {
    const sm = c.map(st, `${f}.strategy`, ['matrix', 'fail-fast', 'max-parallel']);
    if (sm) {
      const ff = sm.get('fail-fast')?.value ?? null;
      if (ff !== null) {
        if (isScalar(ff) && typeof ff.value === 'boolean') job.failFast = ff.value;
        else c.err(ff, `${f}.strategy.fail-fast`, 'must be true or false');
      }
      job.maxParallel = c.num(sm.get('max-parallel')?.value ?? null, `${f}.strategy.max-parallel`);
      const mx = sm.get('matrix');
      if (mx) job.matrix = parseMatrix(c, mx.value, `${f}.strategy.matrix`);
    }
  }
  const cache = get('cache');
  if (cache !== null) job.cache = parseCache(c, cache, `${f}.cache`, id);
  const outs = c.map(get('outputs'), `${f}.outputs`);
  if (outs) for (const [k, { value }] of outs) job.outputs[k] = c.str(value, `${f}.outputs.${k}`) ?? '';
  const steps = get('steps');
  if (steps === null) {
    c.err(keyNode, `${f}.steps`, 'missing: a job needs at least one step');
  } else if (!isSeq(steps) || steps.items.length === 0) {
    c.err(steps, `${f}.steps`, 'must be a non-empty list of steps');
  } else {
    const ids = new Set<string>();
    steps.items.forEach((it, i) => {
      const s = parseStep(c, kind, c.deref(it), `${f}.steps[${i}]`, i);
      if (!s) return;
      if (s.id !== undefined) {
        if (ids.has(s.id)) c.err(c.deref(it), `${f}.steps[${i}].id`, `duplicate step id "${s.id}"`);
        ids.add(s.id);
      }
      job.steps.push(s);
    });
  }
  return job;
}

function parseRunsIn(c: Checker, n: Node, f: string): RunsIn | undefined {
  if (isScalar(n)) {
    if (n.value === 'host') return { kind: 'host' };
    c.err(n, f, 'must be "host" or a mapping { rootfs: DIR } or { layers: [DIR, ...] }');
    return undefined;
  }
  const m = c.map(n, f, ['rootfs', 'layers']);
  if (!m) return undefined;
  const r = m.get('rootfs');
  const l = m.get('layers');
  if (!!r === !!l) {
    c.err(n, f, 'needs "rootfs: DIR" or "layers: [DIR, ...]" (one of them)');
    return undefined;
  }
  if (l) {
    const paths = c.list(l.value, `${f}.layers`);
    if (!paths.length) c.err(l.value, `${f}.layers`, 'at least one layer');
    return { kind: 'layers', paths };
  }
  if (!r) return undefined;
  const p = c.str(r.value, `${f}.rootfs`, { template: false });
  return p === undefined ? undefined : { kind: 'rootfs', path: p };
}

function parseLimits(c: Checker, n: Node, f: string): JobLimits {
  const out: JobLimits = {};
  const m = c.map(n, f, ['memory', 'processes', 'disk']);
  if (!m) return out;
  for (const k of ['memory', 'disk'] as const) {
    const v = m.get(k)?.value ?? null;
    if (v === null) continue;
    const size = isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number') ? parseSize(v.value) : null;
    if (size === null) c.err(v, `${f}.${k}`, 'must be a size: bytes, or a number with k, M, G or T');
    else out[k] = size;
  }
  const p = m.get('processes')?.value ?? null;
  if (p !== null) {
    if (isScalar(p) && typeof p.value === 'number' && Number.isInteger(p.value) && p.value > 0) out.processes = p.value;
    else c.err(p, `${f}.processes`, 'must be a positive integer');
  }
  return out;
}

function parseMatrix(c: Checker, n: Node | null, f: string): MatrixDef | undefined {
  const m = c.map(n, f);
  if (!m) return undefined;
  const def: MatrixDef = { axes: {}, include: [], exclude: [] };
  for (const [k, { value }] of m) {
    if (k === 'include' || k === 'exclude') {
      if (!isSeq(value)) {
        c.err(value, `${f}.${k}`, 'must be a list of mappings');
        continue;
      }
      value.items.forEach((it, i) => {
        const v = c.deref(it);
        if (!isMap(v)) c.err(v, `${f}.${k}[${i}]`, 'must be a mapping');
        else def[k].push(c.plain(v) as Record<string, unknown>);
      });
      continue;
    }
    if (!isSeq(value) || value.items.length === 0) {
      c.err(value, `${f}.${k}`, 'must be a non-empty list of values');
      continue;
    }
    def.axes[k] = (c.plain(value) as unknown[]) ?? [];
  }
  if (!Object.keys(def.axes).length && !def.include.length) c.err(n, f, 'a matrix needs at least one axis or an include');
  return def;
}

function parseCache(c: Checker, n: Node, f: string, jobId: string): CacheDef | undefined {
  const m = c.map(n, f, ['paths', 'key', 'hash-files']);
  if (!m) return undefined;
  const paths = c.list(m.get('paths')?.value ?? null, `${f}.paths`);
  if (!paths.length) c.err(n, `${f}.paths`, 'missing: the directories to keep');
  for (const p of paths) if (p.startsWith('/') || p.split('/').includes('..')) c.err(n, `${f}.paths`, `"${p}": must be relative to the workspace, without ".."`);
  return {
    paths,
    key: c.str(m.get('key')?.value ?? null, `${f}.key`, { template: false }) ?? jobId,
    hashFiles: c.list(m.get('hash-files')?.value ?? null, `${f}.hash-files`),
  };
}

function parseStep(c: Checker, kind: Kind, n: Node | null, f: string, index: number): StepDef | null {
  const m = c.map(n, f, STEP_KEYS);
  if (!m) return null;
  const get = (k: string): Node | null => m.get(k)?.value ?? null;
  const run = c.str(get('run'), `${f}.run`);
  const uses = c.str(get('uses'), `${f}.uses`, { template: false });
  if (run === undefined && uses === undefined) c.err(n, f, 'a step needs "run" (or, in a GitHub workflow, "uses")');
  if (run !== undefined && uses !== undefined) c.err(get('uses'), `${f}.uses`, 'a step has either "run" or "uses", not both');
  if (uses !== undefined && kind === 'pipeline') c.err(get('uses'), `${f}.uses`, 'actions are only available in GitHub workflows');
  const id = c.str(get('id'), `${f}.id`, { template: false });
  if (id !== undefined && !ID.test(id)) c.err(get('id'), `${f}.id`, 'a step id is letters, digits, "_" and "-", starting with a letter or "_"');
  const withs: Record<string, string> = {};
  const wm = c.map(get('with'), `${f}.with`);
  if (wm) for (const [k, { value }] of wm) withs[k] = value === null ? '' : (c.str(value, `${f}.with.${k}`) ?? '');
  const given = c.str(get('name'), `${f}.name`);
  const name = given ?? (run !== undefined ? `Run ${run.trim().split('\n')[0]!}` : uses !== undefined ? `Run ${uses}` : `step ${index + 1}`);
  return {
    index,
    id,
    name,
    run,
    uses,
    with: withs,
    shell: c.shell(get('shell'), `${f}.shell`),
    env: c.env(get('env'), `${f}.env`),
    workingDirectory: c.str(get('working-directory'), `${f}.working-directory`),
    timeoutMinutes: c.num(get('timeout-minutes'), `${f}.timeout-minutes`),
    continueOnError: c.boolish(get('continue-on-error'), `${f}.continue-on-error`) ?? false,
    if: c.condition(get('if'), `${f}.if`),
    loc: c.loc(n),
  };
}
