// Runs one job (one matrix instance) in sandboxes of its own.
//
// The job's filesystem is an overlay: the lower layer is the host's `/`
// (`runs-in: host`, where the checkout appears at its own path) or a rootfs,
// and the upper layer is a scratch directory of the job's own, so nothing the
// job does reaches the host checkout, and nothing reaches another job. Each
// step runs as a fresh sandbox over that same upper layer (and the job's own
// /tmp), so files carry from step to step while processes do not: when a
// step ends, every process it started is gone.
import { appendFileSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { DEFAULT_PATH, type MountSpec, Sandbox } from '../sandbox.js';
import type { CiReporter, JobInfo } from './events.js';
import { action, githubContext, runnerContext, runnerEnvironment, STEP_FILES } from './github.js';
import { type ExprContext, evaluateCondition, interpolate, truthy, type Value, evaluateExpression } from './expr.js';
import { diskBytes, formatBytes, residentBytes } from './limits.js';
import { type Combination, fileKey } from './matrix.js';
import type { JobDef, JobResult, JobStatus, PipelineDef, Shell, StepDef, StepResult, StepStatus } from './model.js';
import { type GitInfo, hashFiles, parseEnvFile, readGuestFile } from './workspace.js';

/** What every job of a run shares. */
export interface RunContext {
  pipeline: PipelineDef;
  runId: string;
  /** Host path of the checkout (the workspace; never modified). */
  workspace: string;
  git: GitInfo;
  /** Host directory of this run's logs: <logDir>/<job>/<step>.log. */
  logDir: string;
  artifactsDir: string;
  cacheDir: string;
  /** Where jobs get their scratch directories (upper layer, /tmp, step files). */
  workRoot: string;
  keepWork: boolean;
  skipUnsupported: boolean;
  reporter: CiReporter;
  /** Extra environment for every step (`--env`). */
  env: Record<string, string>;
  /** Host directories no job may see (other jobs' logs, artifacts, caches, scratch). */
  hide: string[];
}

export interface JobInstance {
  def: JobDef;
  name: string;
  key: string;
  matrix?: Combination;
  index: number;
  total: number;
}

export interface NeedResult {
  result: JobStatus;
  outputs: Record<string, string>;
}

const MINUTE = 60_000;
const SAMPLE_MS = 100;
const DISK_SAMPLE_MS = 500;

type Json = Value;

function shellArgv(shell: Shell, script: string): string[] {
  switch (shell) {
    case 'bash':
      return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', script];
    case 'python':
      return ['python3', script];
    default:
      return ['sh', '-e', script];
  }
}

/** Runs the job; resolves when it and all its processes are done. */
export async function runJob(inst: JobInstance, rc: RunContext, needs: Record<string, NeedResult>, signal: AbortSignal): Promise<JobResult> {
  const job = inst.def;
  const info: JobInfo = { name: inst.name, key: inst.key };
  const started = Date.now();
  const result: JobResult = { name: inst.name, jobId: job.id, key: inst.key, status: 'success', steps: [], durationMs: 0, outputs: {} };
  if (inst.matrix) result.matrix = inst.matrix;
  const finish = (status: JobStatus, reason?: string): JobResult => {
    result.status = status;
    if (reason) result.reason = reason;
    result.durationMs = Date.now() - started;
    rc.reporter.jobFinished?.(info, result);
    return result;
  };

  const needsCtx: Record<string, Json> = {};
  for (const [k, v] of Object.entries(needs)) needsCtx[k] = { result: v.result, outputs: v.outputs };
  const ident = { pipeline: rc.pipeline, runId: rc.runId, workspace: rc.workspace, git: rc.git, jobId: job.id };
  const github = githubContext(ident);
  const runner = runnerContext();
  const strategy: Record<string, Json> = { 'fail-fast': job.failFast, 'job-index': inst.index, 'job-total': inst.total, 'max-parallel': job.maxParallel ?? inst.total };
  const matrix = (inst.matrix ?? {}) as Record<string, Json>;
  const stepsCtx: Record<string, Json> = {};
  const jobCtx: Record<string, Json> = { status: 'success' };
  let env: Record<string, string> = {};
  const ctx = (extraEnv: Record<string, string>, failed: boolean): ExprContext => ({
    contexts: { env: { ...env, ...extraEnv }, matrix, github, steps: stepsCtx, needs: needsCtx, job: jobCtx, runner, strategy, secrets: {}, inputs: {}, vars: {} },
    status: { failed, cancelled: signal.aborted },
    hashFiles: (p) => hashFiles(rc.workspace, p),
  });

  // The job's own `if:`, against the jobs it needs.
  const needFailed = Object.values(needs).some((n) => n.result !== 'success');
  try {
    env = { ...interpolateAll(rc.pipeline.env, ctx({}, needFailed)) };
    env = { ...env, ...interpolateAll(job.env, ctx({}, needFailed)) };
    if (!evaluateCondition(job.if, ctx({}, needFailed))) {
      rc.reporter.jobStarted?.(info, job.steps.length);
      return finish('skipped', job.if ? `if: ${job.if}` : 'a job it needs did not succeed');
    }
  } catch (e) {
    rc.reporter.jobStarted?.(info, job.steps.length);
    return finish('failure', `expression: ${(e as Error).message}`);
  }
  if (signal.aborted) return finish('cancelled', 'cancelled');
  rc.reporter.jobStarted?.(info, job.steps.length);

  // Scratch: the upper layer, /tmp, the step scripts (read-only inside), per-step files.
  mkdirSync(rc.workRoot, { recursive: true, mode: 0o700 });
  const work = mkdtempSync(join(rc.workRoot, `${inst.key}-`));
  const upper = join(work, 'upper');
  const tmp = join(work, 'tmp');
  const scripts = join(work, 'scripts');
  for (const d of [upper, tmp, scripts]) mkdirSync(d, { mode: 0o700 });
  const logDir = join(rc.logDir, inst.key);
  mkdirSync(logDir, { recursive: true });
  const deadline = started + job.timeoutMinutes * MINUTE;
  const host = job.runsIn.kind === 'host';
  // Under a rootfs the checkout is not part of the root: it is bound read-only at the same path.
  const baseMounts: MountSpec[] = [
    { type: 'bind', source: tmp, target: '/tmp' },
    { type: 'bind', source: scripts, target: '/__tsvisor/scripts', readOnly: true },
  ];
  if (!host) baseMounts.push({ type: 'bind', source: rc.workspace, target: rc.workspace, readOnly: true });
  // What other jobs leave on the host (logs, artifacts, caches, scratch directories) is
  // hidden under an empty read-only tmpfs wherever the job could otherwise see it.
  for (const d of rc.hide) {
    const visible = host ? !within(d, '/tmp') : within(d, rc.workspace);
    if (visible && existsSync(d)) baseMounts.push({ type: 'tmpfs', target: d, readOnly: true, mode: 0o755 });
  }
  const basePath = host ? (process.env.PATH ?? DEFAULT_PATH) : DEFAULT_PATH;
  const pathAdd: string[] = [];

  /** One sandbox over the job's layers, stdout and stderr into `logFd`. */
  const sandboxRun = async (
    argv: string[],
    o: { env: Record<string, string>; cwd: string; logFd: number; mounts?: MountSpec[]; timeoutMs: number; timeoutWhat: string },
  ): Promise<{ code: number | null; signal: number; reason?: string }> => {
    const nullFd = openSync('/dev/null', 'r');
    let sb: Sandbox;
    try {
      sb = new Sandbox({
        ...(job.runsIn.kind === 'layers' ? { layers: job.runsIn.paths.map((p) => resolve(rc.workspace, p)) } : { rootfs: job.runsIn.kind === 'rootfs' ? resolve(rc.workspace, job.runsIn.path) : '/' }),
        upper,
        mounts: [...baseMounts, ...(o.mounts ?? [])],
        env: o.env,
        cwd: o.cwd,
        stdio: [nullFd, o.logFd, o.logFd],
        limits: job.limits.processes ? { processes: job.limits.processes } : undefined,
        hostname: 'tsvisor-ci',
        network: job.network,
        allowNet: job.allowNet,
        log: (l) => writeAll(o.logFd, l + '\n'),
      });
    } catch (e) {
      closeSync(nullFd);
      return { code: null, signal: 0, reason: (e as Error).message };
    }
    let reason: string | undefined;
    const stop = (why: string): void => {
      if (reason === undefined) reason = why;
      sb.kill();
    };
    const onAbort = (): void => stop('cancelled');
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) onAbort();
    // setTimeout fires at once beyond 2^31-1 ms (24.8 days): a longer limit is no limit.
    const timer = o.timeoutMs < 2 ** 31 - 1 ? setTimeout(() => stop(`timed out after ${fmtMinutes(o.timeoutMs)} (${o.timeoutWhat})`), Math.max(0, o.timeoutMs)) : null;
    const mem = job.limits.memory;
    const memTimer = mem
      ? setInterval(() => {
          const used = residentBytes(sb.hostPids());
          if (used > mem) stop(`memory limit exceeded: ${formatBytes(used)} resident, limit ${formatBytes(mem)}`);
        }, SAMPLE_MS)
      : null;
    const disk = job.limits.disk;
    const diskTimer = disk
      ? setInterval(() => {
          const used = diskBytes(upper) + diskBytes(tmp);
          if (used > disk) stop(`disk limit exceeded: ${formatBytes(used)} written, limit ${formatBytes(disk)}`);
        }, DISK_SAMPLE_MS)
      : null;
    try {
      const r = await sb.run(argv);
      if (r.error) writeAll(o.logFd, r.error + '\n');
      if (reason === undefined && disk) {
        const used = diskBytes(upper) + diskBytes(tmp);
        if (used > disk) reason = `disk limit exceeded: ${formatBytes(used)} written, limit ${formatBytes(disk)}`;
      }
      return { code: r.signal ? null : r.code, signal: r.signal, reason: reason ?? r.error };
    } catch (e) {
      return { code: null, signal: 0, reason: reason ?? (e as Error).message };
    } finally {
      if (timer) clearTimeout(timer);
      if (memTimer) clearInterval(memTimer);
      if (diskTimer) clearInterval(diskTimer);
      signal.removeEventListener('abort', onAbort);
      closeSync(nullFd);
    }
  };

  const runnerEnv = (files: Record<string, string>): Record<string, string> => runnerEnvironment(ident, files);

  // Cache: restored before the steps, saved after a successful job when the key was new.
  let cacheKeyDir: string | null = null;
  let cacheHit = false;
  if (job.cache) {
    const key = `${job.cache.key}-${hashFiles(rc.workspace, job.cache.hashFiles).slice(0, 16) || 'nohash'}`;
    cacheKeyDir = join(rc.cacheDir, fileKey(key));
    cacheHit = existsSync(join(cacheKeyDir, '.complete'));
    const logFd = openSync(join(logDir, '00-cache-restore.log'), 'w');
    writeAll(logFd, `cache key ${key}: ${cacheHit ? 'hit, restoring' : 'miss'}\n`);
    if (cacheHit) {
      const r = await sandboxRun(['sh', '-ec', `cp -a /__tsvisor/cache/data/. ${shq(rc.workspace)}/`], {
        env: runnerEnv({}), cwd: rc.workspace, logFd, timeoutMs: Math.max(0, deadline - Date.now()), timeoutWhat: 'job timeout-minutes',
        mounts: [{ type: 'bind', source: cacheKeyDir, target: '/__tsvisor/cache', readOnly: true }],
      });
      if (r.code !== 0) writeAll(logFd, `cache restore failed: ${r.reason ?? `exit ${r.code}`}\n`);
    }
    closeSync(logFd);
  }

  let failed = false;
  let stepsCancelled = false;
  for (const step of job.steps) {
    const sr = await runStep(step);
    result.steps.push(sr);
    stepsCtx[step.id ?? `__${step.index}`] = { outputs: sr.outputs, outcome: sr.outcome, conclusion: sr.conclusion };
    if (sr.conclusion === 'failure') {
      failed = true;
      jobCtx.status = 'failure';
    }
    if (sr.conclusion === 'cancelled') stepsCancelled = true;
  }

  async function runStep(step: StepDef): Promise<StepResult> {
    const t0 = Date.now();
    const base: StepResult = { name: step.name, outcome: 'skipped', conclusion: 'skipped', exitCode: null, signal: 0, durationMs: 0, outputs: {} };
    if (step.id) base.id = step.id;
    let tail: Tail | null = null;
    const done = (outcome: StepStatus, conclusion: StepStatus, extra: Partial<StepResult> = {}): StepResult => {
      // The step's last lines are shown before its verdict.
      tail?.close();
      tail = null;
      const r = { ...base, outcome, conclusion, ...extra, durationMs: Date.now() - t0 };
      rc.reporter.stepFinished?.(info, step.index, r);
      return r;
    };
    let stepEnv: Record<string, string>;
    let c: ExprContext;
    try {
      c = ctx({}, failed);
      base.name = interpolate(step.name, c);
      stepEnv = interpolateAll(step.env, c);
      c = ctx(stepEnv, failed);
      if (signal.aborted || stepsCancelled) return done('cancelled', 'cancelled', { reason: 'cancelled' });
      if (Date.now() >= deadline) {
        stepsCancelled = true;
        return done('cancelled', 'cancelled', { reason: `job timed out after ${job.timeoutMinutes} minutes` });
      }
      if (!evaluateCondition(step.if, c)) {
        rc.reporter.stepStarted?.(info, step.index, base.name);
        return done('skipped', 'skipped', { reason: step.if ? `if: ${step.if}` : 'an earlier step failed' });
      }
    } catch (e) {
      rc.reporter.stepStarted?.(info, step.index, base.name);
      return done('failure', 'failure', { reason: `expression: ${(e as Error).message}` });
    }
    rc.reporter.stepStarted?.(info, step.index, base.name);
    const logPath = join(logDir, `${String(step.index + 1).padStart(2, '0')}-${fileKey(base.name)}.log`);
    const logFd = openSync(logPath, 'w');
    base.log = logPath;
    tail = new Tail(logPath, (line) => rc.reporter.output?.(info, step.index, line));
    let coe = false;
    try {
      coe = typeof step.continueOnError === 'boolean' ? step.continueOnError : truthy(evaluateExpression(unwrapExpr(step.continueOnError), c));
      if (step.uses !== undefined) {
        const verdict = action(step.uses, base.name, rc.workspace);
        if (verdict.kind === 'builtin') {
          writeAll(logFd, verdict.message + '\n');
          return done('success', 'success', { exitCode: 0 });
        }
        const why = verdict.message;
        writeAll(logFd, `${why}${rc.skipUnsupported ? ' (skipped: --skip-unsupported)' : ''}\n`);
        if (rc.skipUnsupported) return done('skipped', 'skipped', { reason: `${why} (--skip-unsupported)` });
        return done('failure', coe ? 'success' : 'failure', { reason: why });
      }
      // The script, its shell, its files.
      const n = step.index + 1;
      const shell = step.shell ?? job.defaults.shell ?? rc.pipeline.defaults.shell ?? (rc.pipeline.kind === 'github' ? 'bash' : 'sh');
      const scriptHost = join(scripts, `step-${n}`);
      const ext = shell === 'python' ? '.py' : '.sh';
      writeFileSync(scriptHost + ext, interpolate(step.run ?? '', c) + '\n', { mode: 0o644 });
      const filesHost = join(work, `files-${n}`);
      mkdirSync(filesHost, { mode: 0o700 });
      const files: Record<string, string> = {};
      for (const [k, f] of Object.entries(STEP_FILES)) {
        writeFileSync(join(filesHost, f), '', { mode: 0o666 });
        files[k] = `/__tsvisor/files/${f}`;
      }
      const stepEnvAll = { ...runnerEnv(files), ...env, ...rc.env, ...stepEnv };
      stepEnvAll.PATH = [...pathAdd, stepEnv.PATH ?? rc.env.PATH ?? env.PATH ?? basePath].join(':');
      const wd = step.workingDirectory ?? job.defaults.workingDirectory ?? rc.pipeline.defaults.workingDirectory;
      const wdi = wd === undefined ? undefined : interpolate(wd, c);
      const cwd = wdi === undefined ? rc.workspace : wdi.startsWith('/') ? wdi : join(rc.workspace, wdi);
      const timeoutMs = Math.min(step.timeoutMinutes !== undefined ? step.timeoutMinutes * MINUTE : Infinity, deadline - Date.now());
      const timeoutWhat = step.timeoutMinutes !== undefined && step.timeoutMinutes * MINUTE <= deadline - Date.now() ? 'step timeout-minutes' : 'job timeout-minutes';
      const r = await sandboxRun(shellArgv(shell, `/__tsvisor/scripts/step-${n}${ext}`), {
        env: stepEnvAll, cwd, logFd, timeoutMs, timeoutWhat,
        mounts: [{ type: 'bind', source: filesHost, target: '/__tsvisor/files' }],
      });
      // What the step left for the next ones.
      const added = parseEnvFile(readGuestFile(join(filesHost, 'env')));
      for (const [k, v] of Object.entries(added)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) env[k] = v;
      for (const p of readGuestFile(join(filesHost, 'path')).split('\n').map((l) => l.trim()).filter(Boolean).reverse()) pathAdd.unshift(p);
      const outputs = parseEnvFile(readGuestFile(join(filesHost, 'output')));
      const summary = readGuestFile(join(filesHost, 'summary'));
      if (summary) appendFileSync(join(logDir, 'summary.md'), summary.endsWith('\n') ? summary : summary + '\n');
      rmSync(filesHost, { recursive: true, force: true });
      const ok = r.code === 0 && r.reason === undefined;
      const cancelled = r.reason === 'cancelled';
      if (r.reason && !cancelled) writeAll(logFd, `tsvisor ci: ${r.reason}\n`);
      if (cancelled) {
        stepsCancelled = true;
        return done('cancelled', 'cancelled', { exitCode: r.code, signal: r.signal, reason: 'cancelled', outputs });
      }
      const reason = ok ? undefined : (r.reason ?? (r.signal ? `killed by signal ${r.signal}` : `exit code ${r.code}`));
      return done(ok ? 'success' : 'failure', ok || coe ? 'success' : 'failure', { exitCode: r.code, signal: r.signal, outputs, ...(reason ? { reason } : {}) });
    } catch (e) {
      return done('failure', coe ? 'success' : 'failure', { reason: (e as Error).message });
    } finally {
      closeSync(logFd);
      (tail as Tail | null)?.close();
    }
  }

  // Job outputs, artifacts, cache.
  try {
    const c = ctx({}, failed);
    for (const [k, v] of Object.entries(job.outputs)) result.outputs[k] = interpolate(v, c);
  } catch (e) {
    failed = true;
    result.reason = `outputs: ${(e as Error).message}`;
  }
  if (job.artifacts.length && !signal.aborted) {
    const dest = join(rc.artifactsDir, inst.key);
    mkdirSync(dest, { recursive: true });
    const logFd = openSync(join(logDir, '99-artifacts.log'), 'w');
    const script = job.artifacts
      .map((p) => `found=; for f in ${globWord(p)}; do if [ -e "$f" ]; then cp -a --parents -- "$f" /__tsvisor/artifacts/ && found=1; fi; done; [ -n "$found" ] || echo "artifacts: nothing matches ${p.replace(/[^A-Za-z0-9._/*?-]/g, '')}"`)
      .join('\n');
    const r = await sandboxRun(['sh', '-c', script], {
      env: runnerEnv({}), cwd: rc.workspace, logFd, timeoutMs: 10 * MINUTE, timeoutWhat: 'artifact copy',
      mounts: [{ type: 'bind', source: dest, target: '/__tsvisor/artifacts' }],
    });
    closeSync(logFd);
    result.artifacts = dest;
    if (r.code !== 0) rc.reporter.note?.(`${inst.name}: copying artifacts failed (${r.reason ?? `exit ${r.code}`}), see ${join(logDir, '99-artifacts.log')}`);
  }
  if (job.cache && cacheKeyDir && !cacheHit && !failed && !stepsCancelled && !signal.aborted) {
    const partial = `${cacheKeyDir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(join(partial, 'data'), { recursive: true });
    const logFd = openSync(join(logDir, '99-cache-save.log'), 'w');
    const r = await sandboxRun(['sh', '-ec', job.cache.paths.map((p) => `[ ! -e ${shq(p)} ] || cp -a --parents -- ${shq(p)} /__tsvisor/cache/data/`).join('\n')], {
      env: runnerEnv({}), cwd: rc.workspace, logFd, timeoutMs: 10 * MINUTE, timeoutWhat: 'cache save',
      mounts: [{ type: 'bind', source: partial, target: '/__tsvisor/cache' }],
    });
    closeSync(logFd);
    if (r.code === 0) {
      writeFileSync(join(partial, '.complete'), '');
      rmSync(cacheKeyDir, { recursive: true, force: true });
      renameSync(partial, cacheKeyDir);
    } else {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  if (!rc.keepWork) {
    try {
      rmSync(work, { recursive: true, force: true });
    } catch (e) {
      rc.reporter.note?.(`${inst.name}: cannot remove its scratch directory ${work}: ${(e as Error).message}`);
    }
  }

  let status: JobStatus = failed ? 'failure' : stepsCancelled || signal.aborted ? 'cancelled' : 'success';
  let reason: string | undefined = result.reason;
  if (stepsCancelled && !signal.aborted && Date.now() >= deadline) {
    status = 'failure';
    reason = `timed out after ${job.timeoutMinutes} minutes (job timeout-minutes)`;
  }
  if (status === 'failure' && !reason) {
    const f = result.steps.find((s) => s.conclusion === 'failure');
    if (f) reason = `step "${f.name}" failed: ${f.reason ?? 'failure'}`;
  }
  if (status === 'failure' && job.continueOnError !== false) {
    try {
      const coe = typeof job.continueOnError === 'boolean' ? job.continueOnError : truthy(evaluateExpression(unwrapExpr(job.continueOnError), ctx({}, failed)));
      if (coe) {
        status = 'success';
        reason = `${reason ?? 'failed'} (continue-on-error)`;
      }
    } catch {
      // keep the failure
    }
  }
  return finish(status, reason);
}

function interpolateAll(m: Record<string, string>, c: ExprContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = interpolate(v, c);
  return out;
}

function unwrapExpr(s: string): string {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(s);
  return m ? m[1]! : s;
}

function fmtMinutes(ms: number): string {
  const m = ms / MINUTE;
  return m >= 1 && Number.isInteger(m) ? `${m} minute${m === 1 ? '' : 's'}` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Whether host path `p` is `dir` or below it. */
function within(p: string, dir: string): boolean {
  const r = relative(dir, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** Single-quoted for sh. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A path pattern for sh: quoted, except its glob characters. */
function globWord(p: string): string {
  return p
    .split(/([*?])/)
    .map((part) => (part === '*' || part === '?' ? part : part ? shq(part) : ''))
    .join('');
}

/** Writes all of `s` (a log line) to a host fd. */
function writeAll(fd: number, s: string): void {
  try {
    writeSync(fd, s);
  } catch {
    // a log that cannot be written loses the line, nothing else
  }
}

/** Follows a growing log file and hands over its complete lines. */
class Tail {
  private fd: number;
  private pos = 0;
  private rest = '';
  private readonly timer: NodeJS.Timeout;

  constructor(
    path: string,
    private readonly line: (l: string) => void,
  ) {
    this.fd = openSync(path, constants.O_RDONLY);
    this.timer = setInterval(() => this.poll(), 100);
  }

  private poll(): void {
    const buf = Buffer.alloc(65536);
    for (;;) {
      const n = readSync(this.fd, buf, 0, buf.length, this.pos);
      if (n <= 0) break;
      this.pos += n;
      const text = this.rest + buf.subarray(0, n).toString('utf8');
      const lines = text.split('\n');
      this.rest = lines.pop()!;
      for (const l of lines) this.line(l);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.poll();
    if (this.rest) this.line(this.rest);
    this.rest = '';
    closeSync(this.fd);
  }
}
