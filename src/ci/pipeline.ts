// runPipeline: reads a pipeline file (or GitHub workflow), expands matrices,
// runs the jobs in sandboxes as their `needs` allow, and writes the reports.
// The `tsvisor ci run` command is this plus argument parsing.
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { CiReporter, JobInfo, PipelineResult } from './events.js';
import { type JobInstance, type NeedResult, runJob, type RunContext } from './job.js';
import { interpolate, type Value } from './expr.js';
import { expandMatrix, fileKey, instanceName } from './matrix.js';
import type { JobResult, JobStatus, PipelineDef } from './model.js';
import { parsePipeline } from './parse.js';
import { parseReportSpec, type ReportSpec, writeReport } from './report.js';
import { type Outcome, schedule, type SchedNode } from './scheduler.js';
import { findWorkspace, gitInfo } from './workspace.js';

export interface RunPipelineOptions {
  /** The pipeline file or GitHub workflow (default: .tsvisor/ci.yml under `cwd`). */
  file?: string;
  /** Where relative paths start (default: process.cwd()). */
  cwd?: string;
  /** The checkout the jobs see (default: the git checkout holding the file). Never modified. */
  workspace?: string;
  /** Jobs run at once (default: the number of CPUs). */
  jobs?: number;
  /** The first failed job cancels the others. */
  failFast?: boolean;
  /** Skip `uses:` steps other than actions/checkout instead of failing their job. */
  skipUnsupported?: boolean;
  /** Run only these job ids (and the jobs they need). */
  only?: string[];
  /** `junit:FILE`, `json:FILE` or their parsed form; written even when the run is cancelled. */
  reports?: (ReportSpec | string)[];
  /** Aborting cancels every job (their sandboxes are killed); the reports are still written. */
  signal?: AbortSignal;
  reporter?: CiReporter;
  /** Extra environment for every step. */
  env?: Record<string, string>;
  /** Root of the logs (default: <workspace>/.tsvisor/logs); this run's go to <logDir>/<run id>/. */
  logDir?: string;
  /** Where artifacts go (default: <workspace>/.tsvisor/artifacts/<run id>). */
  artifactsDir?: string;
  /** Where caches are kept (default: <workspace>/.tsvisor/cache). */
  cacheDir?: string;
  /** Where jobs get scratch directories (default: the OS temporary directory). */
  workRoot?: string;
  /** Keep each job's scratch directory (its upper layer) instead of deleting it. */
  keepWork?: boolean;
}

export const DEFAULT_PIPELINE = '.tsvisor/ci.yml';

/** Reads and checks a pipeline file (throws PipelineError naming line and field of each problem). */
export function loadPipeline(file: string): PipelineDef {
  return parsePipeline(readFileSync(file, 'utf8'), file);
}

function newRunId(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${randomBytes(2).toString('hex')}`;
}

interface Node extends SchedNode {
  inst: JobInstance;
}

function aggregate(results: JobResult[]): NeedResult {
  const st = results.map((r) => r.status);
  const result: JobStatus = st.includes('failure') ? 'failure' : st.includes('cancelled') ? 'cancelled' : st.length && st.every((s) => s === 'skipped') ? 'skipped' : 'success';
  const outputs: Record<string, string> = {};
  for (const r of results) Object.assign(outputs, r.outputs);
  return { result, outputs };
}

/** `name (values)`, or a name with `${{ matrix.* }}` in it interpolated (GitHub then adds no values). */
function jobName(id: string, given: string | undefined, m: Record<string, unknown> | undefined): string {
  if (given?.includes('${{')) {
    try {
      const n = interpolate(given, { contexts: { matrix: (m ?? {}) as Record<string, Value>, github: {}, env: {}, inputs: {}, vars: {} }, status: { failed: false, cancelled: false } });
      if (n.trim()) return n;
    } catch {
      // shown as the id with its values
    }
    return m ? instanceName(id, m) : id;
  }
  const base = given ?? id;
  return m ? instanceName(base, m) : base;
}

/** Runs a pipeline; resolves with every job's result once all are done (or cancelled). */
export async function runPipeline(o: RunPipelineOptions = {}): Promise<PipelineResult> {
  const cwd = o.cwd ?? process.cwd();
  const file = resolve(cwd, o.file ?? DEFAULT_PIPELINE);
  if (!existsSync(file)) throw new Error(`tsvisor ci: ${relative(cwd, file) || file}: no such pipeline file`);
  const pipeline = parsePipeline(readFileSync(file, 'utf8'), relative(cwd, file) || file);
  const workspace = resolve(cwd, o.workspace ?? findWorkspace(file));
  if (pipeline.jobs.some((j) => j.runsIn.kind === 'host') && (workspace === '/tmp' || workspace.startsWith('/tmp/'))) {
    // Each job's /tmp is its own: a checkout below the host's /tmp would be hidden under it.
    throw new Error(`tsvisor ci: the workspace ${workspace} lies under /tmp, which every job replaces with its own; use a checkout elsewhere`);
  }
  const runId = newRunId();
  const reporter = o.reporter ?? {};
  const startedAt = new Date();
  const reports = (o.reports ?? []).map((r) => (typeof r === 'string' ? parseReportSpec(r) : r)).map((r) => ({ ...r, file: resolve(cwd, r.file) }));
  const logDir = join(resolve(cwd, o.logDir ?? join(workspace, '.tsvisor', 'logs')), runId);
  const rc: RunContext = {
    pipeline,
    runId,
    workspace,
    git: gitInfo(workspace),
    logDir,
    artifactsDir: resolve(cwd, o.artifactsDir ?? join(workspace, '.tsvisor', 'artifacts', runId)),
    cacheDir: resolve(cwd, o.cacheDir ?? join(workspace, '.tsvisor', 'cache')),
    workRoot: resolve(cwd, o.workRoot ?? join(tmpdir(), `tsvisor-ci-${process.getuid?.() ?? 0}`)),
    keepWork: !!o.keepWork,
    skipUnsupported: !!o.skipUnsupported,
    reporter,
    env: o.env ?? {},
    hide: [],
  };
  // Never the workspace itself, or what holds it.
  const inside = (p: string, dir: string): boolean => p === dir || p.startsWith(dir.endsWith('/') ? dir : dir + '/');
  rc.hide = [dirname(rc.logDir), o.artifactsDir ? rc.artifactsDir : dirname(rc.artifactsDir), rc.cacheDir, rc.workRoot].filter((d) => !inside(workspace, d));
  mkdirSync(dirname(rc.logDir), { recursive: true });

  // The jobs' scratch directories hold their upper layers: ours alone.
  mkdirSync(rc.workRoot, { recursive: true, mode: 0o700 });
  const st = lstatSync(rc.workRoot);
  if (!st.isDirectory() || st.uid !== (process.getuid?.() ?? st.uid) || st.mode & 0o022) {
    throw new Error(`tsvisor ci: ${rc.workRoot} must be a directory of ours that no one else may write to`);
  }

  // Which jobs: all, or the ones asked for and what they need.
  let wanted = new Set(pipeline.jobs.map((j) => j.id));
  if (o.only?.length) {
    for (const id of o.only) if (!wanted.has(id)) throw new Error(`tsvisor ci: no job "${id}" in ${pipeline.file}`);
    wanted = new Set<string>();
    const add = (id: string): void => {
      if (wanted.has(id)) return;
      wanted.add(id);
      for (const n of pipeline.jobs.find((j) => j.id === id)!.needs) add(n);
    };
    o.only.forEach(add);
  }
  const jobs = pipeline.jobs.filter((j) => wanted.has(j.id));

  // Matrix instances.
  const nodes: Node[] = [];
  const byJob = new Map<string, Node[]>();
  const keys = new Set<string>();
  const preResults = new Map<string, JobResult>();
  for (const def of jobs) {
    const combos = def.matrix ? expandMatrix(def.matrix) : [undefined];
    const list: Node[] = [];
    combos.forEach((m, index) => {
      const name = jobName(def.id, def.name, m);
      let key = fileKey(name);
      for (let i = 2; keys.has(key); i++) key = `${fileKey(name)}-${i}`;
      keys.add(key);
      const inst: JobInstance = { def, name, key, index, total: combos.length };
      if (m) inst.matrix = m;
      list.push({ key, deps: [], inst, ...(def.matrix ? { group: def.id, groupFailFast: def.failFast, groupMax: def.maxParallel } : {}) });
    });
    if (!list.length) {
      const key = fileKey(def.id);
      keys.add(key);
      preResults.set(key, { name: def.id, jobId: def.id, key, status: 'failure', reason: 'the matrix has no combinations left', steps: [], durationMs: 0, outputs: {} });
    }
    byJob.set(def.id, list);
    nodes.push(...list);
  }
  for (const n of nodes) n.deps = n.inst.def.needs.flatMap((id) => (byJob.get(id) ?? []).map((x) => x.key));

  const jobInfos: JobInfo[] = [...nodes.map((n) => ({ name: n.inst.name, key: n.key })), ...[...preResults.values()].map((r) => ({ name: r.name, key: r.key }))];
  reporter.runStarted?.({ runId, pipeline, jobs: jobInfos, logDir });
  const results = new Map<string, JobResult>(preResults);
  for (const r of preResults.values()) reporter.jobFinished?.({ name: r.name, key: r.key }, r);
  const toOutcome = (s: JobStatus): Outcome => s;

  await schedule(nodes, {
    concurrency: o.jobs ?? availableParallelism(),
    failFast: o.failFast,
    signal: o.signal,
    run: async (n, signal) => {
      const needs: Record<string, NeedResult> = {};
      for (const id of n.inst.def.needs) needs[id] = aggregate((byJob.get(id) ?? []).map((x) => results.get(x.key)).filter((x): x is JobResult => !!x));
      let r: JobResult;
      try {
        r = await runJob(n.inst, rc, needs, signal);
      } catch (e) {
        r = { name: n.inst.name, jobId: n.inst.def.id, key: n.key, status: 'failure', reason: `runner error: ${(e as Error).message}`, steps: [], durationMs: 0, outputs: {} };
        reporter.jobFinished?.({ name: r.name, key: r.key }, r);
      }
      results.set(n.key, r);
      return toOutcome(r.status);
    },
    onCancelled: (n) => {
      const r: JobResult = { name: n.inst.name, jobId: n.inst.def.id, key: n.key, status: 'cancelled', reason: 'cancelled before it started', steps: [], durationMs: 0, outputs: {} };
      if (n.inst.matrix) r.matrix = n.inst.matrix;
      results.set(n.key, r);
      reporter.jobFinished?.({ name: r.name, key: r.key }, r);
    },
  });

  const ordered = jobInfos.map((j) => results.get(j.key)).filter((x): x is JobResult => !!x);
  const cancelled = !!o.signal?.aborted;
  const ok = !cancelled && ordered.every((j) => j.status === 'success' || j.status === 'skipped');
  const result: PipelineResult = {
    runId,
    file: pipeline.file,
    name: pipeline.name,
    kind: pipeline.kind,
    exitCode: cancelled ? 130 : ok ? 0 : 1,
    ok,
    cancelled,
    jobs: ordered,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    logDir,
    reports: reports.map((r) => r.file),
  };
  for (const r of reports) {
    try {
      writeReport(r, result);
    } catch (e) {
      reporter.note?.(`cannot write ${r.format} report ${r.file}: ${(e as Error).message}`);
    }
  }
  reporter.runFinished?.(result);
  return result;
}
