// tsvisor-oci: the runc-compatible command line (bin/tsvisor-oci). Global
// flags come before the command, as runc takes them; runtime-specific flags
// are global `--NAME=VALUE` (podman's --runtime-flag). See docs/oci.md.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSignal } from '../abi/signals.js';
import { parseDuration, parseSize } from '../kernel/limits.js';
import { writeDiag } from '../platform/diag.js';
import { ConfigError, defaultSpec, type LimitUpdate, loadConfig, type OciHook, parseProcess, parseResourceUpdate } from './config.js';
import { ControlClient, type Msg, request } from './control.js';
import { runHooks } from './hooks.js';
import { Log } from './log.js';
import { runSentry } from './sentry.js';
import { checkId, defaultRoot, sentryAlive, StateDir, StateError, type StateFile, type Status } from './state.js';

export const VERSION = '0.1.0';
const SPEC_VERSION = '1.0.2';

class UsageError extends Error {}

interface Globals {
  root: string;
  log: Log;
  logPath: string | null;
  logFormat: 'text' | 'json';
  debug: boolean;
  isolation: 'balanced' | 'strict';
  /** Global arguments as given (passed on to the background sentry). */
  raw: string[];
}

/** Flags of one command: name → takes a value; aliases map short names. */
interface FlagTable {
  values: string[];
  bools: string[];
  alias?: Record<string, string>;
  /** Flags that may repeat (values collected). */
  multi?: string[];
}

interface Parsed {
  flags: Map<string, string | boolean>;
  multi: Map<string, string[]>;
  args: string[];
}

function parseFlags(argv: string[], t: FlagTable, stopAtFirstArg = false): Parsed {
  const flags = new Map<string, string | boolean>();
  const multi = new Map<string, string[]>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-' || (stopAtFirstArg && args.length)) {
      args.push(a);
      if (stopAtFirstArg && args.length) {
        // everything after the id belongs to the command
        args.push(...argv.slice(i + 1));
        break;
      }
      continue;
    }
    let name = a.replace(/^--?/, '');
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) (value = name.slice(eq + 1)), (name = name.slice(0, eq));
    name = t.alias?.[name] ?? name;
    if (t.values.includes(name)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new UsageError(`flag needs an argument: --${name}`);
      }
      if (t.multi?.includes(name)) multi.set(name, [...(multi.get(name) ?? []), value]);
      else flags.set(name, value);
    } else if (t.bools.includes(name)) {
      flags.set(name, value === undefined ? true : value !== 'false');
    } else {
      throw new UsageError(`flag provided but not defined: -${name}`);
    }
  }
  return { flags, multi, args };
}

const str = (p: Parsed, k: string): string | undefined => {
  const v = p.flags.get(k);
  return typeof v === 'string' ? v : undefined;
};
const flag = (p: Parsed, k: string): boolean => p.flags.get(k) === true;

function parseGlobals(argv: string[]): { g: Globals; rest: string[] } {
  let root = defaultRoot();
  let logPath: string | null = null;
  let logFormat: 'text' | 'json' = 'text';
  let debug = false;
  let isolation: 'balanced' | 'strict' = 'balanced';
  const raw: string[] = [];
  let i = 0;
  const value = (a: string, name: string): string => {
    const eq = a.indexOf('=');
    if (eq >= 0) return a.slice(eq + 1);
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`flag needs an argument: --${name}`);
    raw.push(v);
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '-v' || a === '--version' || a === '-h' || a === '--help') break;
    raw.push(a);
    const name = a.replace(/^--?/, '').split('=')[0]!;
    if (name === 'root') root = value(a, name);
    else if (name === 'log') logPath = value(a, name);
    else if (name === 'log-format') {
      const f = value(a, name);
      if (f !== 'text' && f !== 'json') throw new UsageError(`invalid log format ${f}`);
      logFormat = f;
    } else if (name === 'debug') debug = true;
    else if (name === 'systemd-cgroup' || name === 'no-pivot' || name === 'no-new-keyring') {
      // accepted: the sandbox has no host cgroup or mount namespace of its own to set up
    } else if (name === 'rootless' || name === 'criu' || name === 'cgroup-manager') {
      if (!a.includes('=')) value(a, name);
    } else if (name === 'isolation') {
      const v = value(a, name);
      if (v !== 'balanced' && v !== 'strict') throw new UsageError(`--isolation: balanced or strict, not ${v}`);
      isolation = v;
    } else if (name === 'network') {
      const v = value(a, name);
      if (v !== 'none' && v !== 'sandbox') throw new UsageError(`--network=${v}: only none is supported (loopback only)`);
    } else if (a.includes('=')) {
      // other runtime flags (--runtime-flag X=Y) are accepted and logged
    } else {
      throw new UsageError(`flag provided but not defined: ${a}`);
    }
  }
  return { g: { root: resolve(root), log: new Log(logPath, logFormat, debug), logPath, logFormat, debug, isolation, raw }, rest: argv.slice(i) };
}

function out(text: string): void {
  writeDiag(text, 1);
}

const USAGE = `tsvisor-oci: an OCI runtime (runc-compatible) on the tsvisor sandbox

usage: tsvisor-oci [global flags] COMMAND [flags] [ID] [args]

global flags: --root DIR  --log FILE  --log-format text|json  --debug  --systemd-cgroup
              --isolation=balanced|strict  --network=none

commands:
  create [--bundle DIR] [--pid-file FILE] [--console-socket SOCK] ID
  start ID
  run [--bundle DIR] [--pid-file FILE] [--detach] ID
  state ID
  kill [--all] ID [SIGNAL]
  delete [--force] ID
  exec [--process FILE] [--pid-file FILE] [--detach] [--cwd DIR] [--env K=V] [--user UID[:GID]] ID [CMD...]
  ps [--format table|json] ID
  list [--format table|json] [--quiet]
  spec [--bundle DIR]
  features
  events [--stats] [--interval 5s] ID
  update [--resources FILE|-] [--memory N] [--pids-limit N] [--cpu-quota N] [--cpu-period N] ID
  pause ID, resume ID (a host cgroup freezer; needs root)
  checkpoint ID, restore ID: not supported
`;

/** The sentry entry (`__sentry`): runs in the background process create starts, or inline for `run`. */
async function sentryMain(g: Globals, argv: string[], readyFd: number, autostart: boolean, hostTerminal = false): Promise<number> {
  const p = parseFlags(argv, { values: ['bundle', 'pid-file', 'console-socket'], bools: [] });
  const id = checkId(p.args[0]);
  const bundle = resolve(str(p, 'bundle') ?? '.');
  const state = new StateDir(g.root);
  let done = false;
  const ready = (err: string | null): void => {
    if (done) return;
    done = true;
    if (readyFd >= 0) {
      try {
        writeDiag(err === null ? 'ok\n' : `error ${err}\n`, readyFd);
        closeSync(readyFd);
      } catch {
        // the create command went away: nothing to tell
      }
    } else if (err !== null) {
      g.log.error(err);
    }
  };
  let config;
  try {
    config = loadConfig(bundle);
  } catch (e) {
    ready((e as Error).message);
    return 125;
  }
  const consoleSocket = str(p, 'console-socket');
  return runSentry({ state, id, bundle, config, isolation: g.isolation, log: g.log, autostart, ready, consoleSocket: consoleSocket && resolve(consoleSocket), hostTerminal });
}

/** create: validates, starts the sentry in the background, waits until it holds the container "created". */
async function create(g: Globals, argv: string[], thenStart: boolean): Promise<number> {
  const p = parseFlags(argv, {
    values: ['bundle', 'pid-file', 'console-socket', 'preserve-fds'],
    bools: ['no-pivot', 'no-new-keyring', 'detach'],
    alias: { b: 'bundle', d: 'detach' },
  });
  const id = checkId(p.args[0]);
  const bundle = resolve(str(p, 'bundle') ?? '.');
  const config = loadConfig(bundle); // errors before anything exists
  if (config.process.terminal && !str(p, 'console-socket')) throw new ConfigError('process.terminal is set but no --console-socket was given');
  const state = new StateDir(g.root);
  state.claim(id);
  const script = process.argv[1]!;
  const args = [script, ...g.raw, '__sentry', '--bundle', bundle, ...(str(p, 'console-socket') ? ['--console-socket', str(p, 'console-socket')!] : []), id];
  let child;
  try {
    // With a terminal the guest's stdio is the pty: the sentry keeps none of
    // ours (containerd's shim captures our output with a pipe and waits for
    // its end, as runc's init never holds it either).
    const io = config.process.terminal ? 'ignore' : 'inherit';
    child = spawn(process.execPath, args, { detached: true, stdio: [io, io, io, 'pipe'] });
  } catch (e) {
    state.remove(id);
    throw e;
  }
  const pipe = child.stdio[3] as NodeJS.ReadableStream;
  const answer = await new Promise<string>((res) => {
    let buf = '';
    pipe.on('data', (d: Buffer) => (buf += d.toString('utf8')));
    pipe.on('end', () => res(buf));
    pipe.on('error', () => res(buf));
    child.on('error', (e) => res(`error ${e.message}\n`));
  });
  if (!answer.startsWith('ok')) {
    const msg = answer.replace(/^error /, '').trim() || 'the sentry exited before the container was created';
    try {
      child.kill('SIGKILL');
    } catch {
      // gone already
    }
    state.remove(id);
    throw new ConfigError(msg);
  }
  const pidFile = str(p, 'pid-file');
  if (pidFile) writeFileSync(resolve(pidFile), String(child.pid));
  child.unref();
  (pipe as unknown as { destroy(): void }).destroy();
  if (thenStart) return start(g, [id]);
  return 0;
}

function loadState(g: Globals, id: string | undefined): { state: StateDir; s: StateFile } {
  const state = new StateDir(g.root);
  const s = state.read(checkId(id));
  return { state, s };
}

function start(g: Globals, argv: string[]): number {
  const p = parseFlags(argv, { values: [], bools: [] });
  const { state, s } = loadState(g, p.args[0]);
  const r = request(state.sock(s.id), { op: 'start' });
  if (!r) throw new StateError(`cannot start a container that has stopped`);
  if (typeof r.error === 'string') throw new StateError(r.error);
  return 0;
}

function stateCmd(g: Globals, argv: string[]): number {
  const p = parseFlags(argv, { values: [], bools: [] });
  const { state, s } = loadState(g, p.args[0]);
  const status = state.status(s);
  out(JSON.stringify(ociState(s, status), null, 2) + '\n');
  return 0;
}

function ociState(s: StateFile, status: Status): Msg {
  return {
    ociVersion: s.ociVersion,
    id: s.id,
    pid: status === 'stopped' ? 0 : s.pid,
    status: status === 'creating' ? 'creating' : status,
    bundle: s.bundle,
    rootfs: s.rootfs,
    created: s.created,
    owner: s.owner,
    annotations: s.annotations,
  };
}

function kill(g: Globals, argv: string[]): number {
  const p = parseFlags(argv, { values: [], bools: ['all'], alias: { a: 'all' } });
  const { state, s } = loadState(g, p.args[0]);
  const sig = parseSignal(p.args[1] ?? 'SIGTERM');
  if (!sig) throw new UsageError(`invalid signal ${p.args[1]}`);
  const release = state.lock(s.id);
  try {
    if (!sentryAlive(s)) throw new StateError('container not running');
    const r = request(state.sock(s.id), { op: 'kill', signal: sig, all: flag(p, 'all') });
    if (!r) throw new StateError('container not running');
    if (typeof r.error === 'string') throw new StateError(r.error);
  } finally {
    release();
  }
  return 0;
}

/** Waits until `pid` (with this start time) is gone: polls /proc, bounded. */
function waitGone(s: StateFile, ms: number): boolean {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; waited < ms; waited += 10) {
    if (!sentryAlive(s)) return true;
    Atomics.wait(pause, 0, 0, 10);
  }
  return !sentryAlive(s);
}

function del(g: Globals, argv: string[]): number {
  const p = parseFlags(argv, { values: [], bools: ['force'], alias: { f: 'force' } });
  const id = checkId(p.args[0]);
  const state = new StateDir(g.root);
  if (!state.exists(id)) {
    if (flag(p, 'force')) return 0;
    throw new StateError(`container ${id} does not exist`);
  }
  const s = state.read(id);
  const release = state.lock(id);
  try {
    const status = state.status(s);
    if (status !== 'stopped' && status !== 'created' && !flag(p, 'force')) {
      throw new StateError(`cannot delete container ${id} that is not stopped: ${status}`);
    }
    if (sentryAlive(s)) {
      request(state.sock(id), { op: 'kill', signal: 9, all: true });
      if (!waitGone(s, 2000)) process.kill(s.pid, 'SIGKILL');
      waitGone(s, 5000);
    }
  } finally {
    release();
  }
  state.remove(id);
  const hooks = (Array.isArray(s.poststop) ? s.poststop : []) as OciHook[];
  const err = runHooks('poststop', hooks, { ociVersion: s.ociVersion, id, status: 'stopped', bundle: s.bundle, annotations: s.annotations });
  if (err) g.log.warn(err);
  return 0;
}

function list(g: Globals, argv: string[]): number {
  const p = parseFlags(argv, { values: ['format'], bools: ['quiet'], alias: { f: 'format', q: 'quiet' } });
  const state = new StateDir(g.root);
  const rows: Msg[] = [];
  for (const id of state.ids()) {
    let s: StateFile;
    try {
      s = state.read(id);
    } catch {
      continue;
    }
    rows.push(ociState(s, state.status(s)));
  }
  if (flag(p, 'quiet')) {
    for (const r of rows) out(`${String(r.id)}\n`);
  } else if (str(p, 'format') === 'json') {
    out(JSON.stringify(rows) + '\n');
  } else {
    const table = [['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER'], ...rows.map((r) => [r.id, r.pid, r.status, r.bundle, r.created, r.owner].map(String))];
    const w = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table) out(row.map((c, i) => c.padEnd(w[i]! + 3)).join('').trimEnd() + '\n');
  }
  return 0;
}

/**
 * ps [--format table|json] ID [PS OPTIONS...]: the container's host pids. As
 * runc: json is the list of pids; a table is ps(1) run with the options
 * (default -ef), its header and the lines of the container's processes.
 */
function ps(g: Globals, argv: string[]): number {
  const p = parseFlags(argv, { values: ['format'], bools: [], alias: { f: 'format' } }, true);
  const format = str(p, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format: ${format}: must be table or json`);
  const { state, s } = loadState(g, p.args[0]);
  const r = sentryAlive(s) ? request(state.sock(s.id), { op: 'ps' }) : null;
  const pids = r && Array.isArray(r.pids) ? (r.pids as number[]) : [];
  if (format === 'json') {
    out(JSON.stringify(pids) + '\n');
    return 0;
  }
  const opts = p.args.length > 1 ? p.args.slice(1) : ['-ef'];
  const res = spawnSync('ps', opts, { encoding: 'utf8' });
  if (res.error || res.status !== 0) throw new UsageError(`ps ${opts.join(' ')}: ${res.error?.message ?? res.stderr.trim()}`);
  const lines = res.stdout.split('\n').filter((l) => l.length);
  const col = (lines[0] ?? '').trim().split(/\s+/).indexOf('PID');
  if (col < 0) throw new UsageError(`ps ${opts.join(' ')}: its output has no PID column`);
  const mine = new Set(pids);
  out(lines[0] + '\n');
  for (const l of lines.slice(1)) if (mine.has(Number(l.trim().split(/\s+/)[col]))) out(l + '\n');
  return 0;
}

function spec(_g: Globals, argv: string[]): number {
  const p = parseFlags(argv, { values: ['bundle'], bools: ['rootless'], alias: { b: 'bundle' } });
  const path = resolve(str(p, 'bundle') ?? '.', 'config.json');
  if (existsSync(path)) throw new StateError(`File ${path} exists. Remove it first`);
  writeFileSync(path, JSON.stringify(defaultSpec(), null, '\t') + '\n');
  return 0;
}

function features(): number {
  out(
    JSON.stringify(
      {
        ociVersionMin: '1.0.0',
        ociVersionMax: SPEC_VERSION,
        hooks: ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'],
        mountOptions: ['bind', 'rbind', 'ro', 'rw', 'nosuid', 'nodev', 'noexec', 'size', 'mode'],
        linux: {
          namespaces: ['cgroup', 'ipc', 'mount', 'network', 'pid', 'user', 'uts'],
          capabilities: [],
          cgroup: { v1: false, v2: false, systemd: false, systemdUser: false },
          seccomp: { enabled: false },
          apparmor: { enabled: false },
          selinux: { enabled: false },
        },
        annotations: { 'io.github.tsvisor.sandbox': 'true', 'io.github.tsvisor.version': VERSION },
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

/** exec: in the foreground (exit status of the process) or --detach (a waiter in the background). */
async function exec(g: Globals, argv: string[], waiterFd: number): Promise<number> {
  const p = parseFlags(
    argv,
    {
      values: ['process', 'pid-file', 'console-socket', 'cwd', 'env', 'user', 'process-label', 'apparmor', 'cap', 'preserve-fds', 'cgroup'],
      bools: ['detach', 'tty', 'no-new-privs', 'ignore-paused'],
      alias: { p: 'process', d: 'detach', t: 'tty', e: 'env', u: 'user', c: 'cap' },
      multi: ['env', 'cap'],
    },
    true,
  );
  const { state, s } = loadState(g, p.args[0]);
  let proc: Msg;
  /** Without --process, the container's capabilities and umask apply (as runc's exec). */
  let inherit = false;
  const file = str(p, 'process');
  if (file) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file === '-' ? 0 : resolve(file), 'utf8'));
    } catch (e) {
      throw new ConfigError(`process ${file}: ${(e as Error).message}`);
    }
    parseProcess(raw, 'process');
    proc = raw as Msg;
    if (flag(p, 'tty')) proc.terminal = true;
  } else {
    const args = p.args.slice(1);
    if (!args.length) throw new UsageError('exec: no command given (and no --process)');
    const user = str(p, 'user') ?? '0:0';
    const [uid, gid] = user.split(':').map(Number);
    proc = { args, env: p.multi.get('env') ?? [], cwd: str(p, 'cwd') ?? '/', user: { uid: uid ?? 0, gid: gid ?? 0 }, terminal: flag(p, 'tty') };
    parseProcess(proc, 'process');
    inherit = true;
  }
  const consoleSocket = str(p, 'console-socket');
  if (proc.terminal === true && !consoleSocket) throw new ConfigError('a terminal (--tty or process.terminal) needs --console-socket');
  if (!sentryAlive(s)) throw new StateError('cannot exec in a stopped container');

  if (flag(p, 'detach') && waiterFd < 0) {
    // A waiter in the background holds the process's exit status: it is the
    // pid the caller gets (conmon waits for it, as for runc's exec process).
    const script = process.argv[1]!;
    const rest = argv.filter((a) => a !== '--detach' && a !== '-d');
    const io = proc.terminal === true ? 'ignore' : 'inherit';
    const child = spawn(process.execPath, [script, ...g.raw, '__exec-wait', ...rest], { detached: true, stdio: [io, io, io, 'pipe'] });
    const pipe = child.stdio[3] as NodeJS.ReadableStream;
    const answer = await new Promise<string>((res) => {
      let buf = '';
      pipe.on('data', (d: Buffer) => (buf += d.toString('utf8')));
      pipe.on('end', () => res(buf));
      pipe.on('error', () => res(buf));
      child.on('error', (e) => res(`error ${e.message}\n`));
    });
    if (!answer.startsWith('ok')) throw new StateError(answer.replace(/^error /, '').trim() || 'exec failed');
    const pidFile = str(p, 'pid-file');
    if (pidFile) writeFileSync(resolve(pidFile), String(child.pid));
    child.unref();
    (pipe as unknown as { destroy(): void }).destroy();
    return 0;
  }

  const c = ControlClient.connect(state.sock(s.id));
  if (typeof c === 'number') throw new StateError('cannot exec in a stopped container');
  c.send({ op: 'exec', process: proc, inherit, consoleSocket: consoleSocket && resolve(consoleSocket) }, [0, 1, 2]);
  const first = c.read();
  const tell = (msg: string): void => {
    if (waiterFd >= 0) {
      writeDiag(msg, waiterFd);
      closeSync(waiterFd);
    }
  };
  if (!first) {
    tell('error the container stopped\n');
    throw new StateError('the container stopped');
  }
  if (typeof first.error === 'string') {
    tell(`error ${first.error}\n`);
    g.log.error(first.error.replace(/^tsvisor: /, ''));
    return typeof first.code === 'number' ? first.code : 125;
  }
  const hostPid = Number(first.pid);
  const pidFile = str(p, 'pid-file');
  if (pidFile && waiterFd < 0) writeFileSync(resolve(pidFile), String(hostPid));
  tell('ok\n');
  // Signals to us go to the process (runc forwards them in the foreground).
  const sigs: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];
  const handlers = sigs.map((name) => {
    const h = (): void => void request(state.sock(s.id), { op: 'signal-exec', pid: hostPid, signal: parseSignal(name) });
    process.on(name, h);
    return [name, h] as const;
  });
  const code = await new Promise<number>((res) => c.readAsync((m) => (m === null ? res(255) : typeof m.exit === 'number' ? res(m.exit) : undefined)));
  for (const [name, h] of handlers) process.off(name, h);
  c.close();
  return code;
}

/** `--interval` of events: 5s, 100ms, 1m, or plain seconds; ms. */
function parseInterval(v: string): number {
  const s = parseDuration(v);
  if (s === null) throw new UsageError(`--interval: expected a duration such as 5s or 100ms, got "${v}"`);
  return s * 1000;
}

/** events: one stats object (--stats), or a stream of JSON lines until the container stops. */
async function events(g: Globals, argv: string[]): Promise<number> {
  const p = parseFlags(argv, { values: ['interval'], bools: ['stats'] });
  const { state, s } = loadState(g, p.args[0]);
  const interval = parseInterval(str(p, 'interval') ?? '5s');
  if (!sentryAlive(s)) throw new StateError('container not running');
  if (flag(p, 'stats')) {
    const r = request(state.sock(s.id), { op: 'stats' });
    if (!r) throw new StateError('container not running');
    if (typeof r.error === 'string') throw new StateError(r.error);
    out(JSON.stringify({ type: 'stats', id: s.id, data: r.stats }) + '\n');
    return 0;
  }
  const c = ControlClient.connect(state.sock(s.id));
  if (typeof c === 'number' || !c.send({ op: 'events', interval })) throw new StateError('container not running');
  // Ends when the sentry hangs up (the container stopped), or when we are told to stop.
  await new Promise<void>((res) => {
    const quit = (): void => res();
    process.once('SIGTERM', quit);
    process.once('SIGINT', quit);
    c.readAsync((m) => {
      if (m === null) {
        process.off('SIGTERM', quit);
        process.off('SIGINT', quit);
        res();
      } else if (typeof m.error === 'string') g.log.error(m.error);
      else out(JSON.stringify(m) + '\n');
    });
  });
  c.close();
  return 0;
}

/** The size of `update --memory`: bytes, or with a unit (512m, 1g); -1: no limit. */
function parseMemoryFlag(v: string): number {
  if (v.trim() === '-1') return -1;
  const n = parseSize(v);
  if (n === null) throw new UsageError(`--memory: expected bytes or a size such as 512m, got "${v}"`);
  return n;
}

function intFlag(p: Parsed, k: string): number | undefined {
  const v = str(p, k);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new UsageError(`--${k}: expected an integer, got "${v}"`);
  return Number(v);
}

/** update: the memory, pids and CPU limits of the running container change (the rest is accepted, not applied). */
function update(g: Globals, argv: string[]): number {
  const ignoredFlags = ['cpu-shares', 'cpuset-cpus', 'cpuset-mems', 'memory-swap', 'memory-reservation', 'kernel-memory', 'kernel-memory-tcp', 'blkio-weight', 'cpu-rt-period', 'cpu-rt-runtime', 'l3-cache-schema', 'mem-bw-schema'];
  const p = parseFlags(argv, { values: ['resources', 'memory', 'cpu-quota', 'cpu-period', 'pids-limit', ...ignoredFlags], bools: [], alias: { r: 'resources' } });
  const { state, s } = loadState(g, p.args[0]);
  let change: LimitUpdate = {};
  const ignored: string[] = [];
  const res = str(p, 'resources');
  if (res) {
    let j: unknown;
    try {
      j = JSON.parse(readFileSync(res === '-' ? 0 : resolve(res), 'utf8'));
    } catch (e) {
      throw new ConfigError(`--resources: ${(e as Error).message}`);
    }
    const r = parseResourceUpdate(j, 'resources');
    change = r.update;
    ignored.push(...r.ignored);
  }
  // Flags win over the file, as runc's do.
  const mem = str(p, 'memory');
  if (mem !== undefined) {
    const b = parseMemoryFlag(mem);
    if (b !== 0) change.memory = b < 0 ? null : b;
  }
  const pids = intFlag(p, 'pids-limit');
  if (pids !== undefined && pids !== 0) change.processes = pids < 0 ? null : pids;
  const quota = intFlag(p, 'cpu-quota');
  const period = intFlag(p, 'cpu-period') ?? 100000;
  if (period <= 0) throw new UsageError('--cpu-period: must be positive');
  if (quota !== undefined && quota !== 0) change.cpus = quota < 0 ? null : Math.max(1, Math.ceil(quota / period));
  for (const f of ignoredFlags) if (str(p, f) !== undefined) ignored.push(`--${f}`);
  const release = state.lock(s.id);
  try {
    if (!sentryAlive(s)) throw new StateError('container not running');
    const r = request(state.sock(s.id), { op: 'update', limits: change });
    if (!r) throw new StateError('container not running');
    if (typeof r.error === 'string') throw new StateError(`update: ${r.error}`);
  } finally {
    release();
  }
  if (ignored.length) g.log.warn(`update: not applied (no equivalent in the sandbox): ${ignored.join(', ')}`);
  return 0;
}

function notSupported(what: string): never {
  throw new StateError(`${what} is not supported by tsvisor`);
}

async function dispatch(g: Globals, cmd: string, argv: string[]): Promise<number> {
  switch (cmd) {
    case 'create':
      return create(g, argv, false);
    case 'run': {
      const p = parseFlags(argv, { values: ['bundle', 'pid-file', 'console-socket', 'preserve-fds'], bools: ['detach', 'no-pivot', 'no-new-keyring'], alias: { b: 'bundle', d: 'detach' } });
      if (flag(p, 'detach')) return create(g, argv, true);
      const id = checkId(p.args[0]);
      const bundle = resolve(str(p, 'bundle') ?? '.');
      const cfg = loadConfig(bundle);
      const state = new StateDir(g.root);
      state.claim(id);
      try {
        const pidFile = str(p, 'pid-file');
        if (pidFile) writeFileSync(resolve(pidFile), String(process.pid));
        const cs = str(p, 'console-socket');
        // Without a console socket a terminal is ours (runc's `run` does the same).
        return await sentryMain(g, ['--bundle', bundle, ...(cs ? ['--console-socket', cs] : []), id], -1, true, !cs && cfg.process.terminal);
      } finally {
        state.remove(id);
      }
    }
    case '__sentry': {
      const code = await sentryMain(g, argv, 3, false);
      return code;
    }
    case '__exec-wait':
      return exec(g, argv, 3);
    case 'start':
      return start(g, argv);
    case 'state':
      return stateCmd(g, argv);
    case 'kill':
      return kill(g, argv);
    case 'delete':
    case 'rm':
      return del(g, argv);
    case 'list':
    case 'ls':
      return list(g, argv);
    case 'ps':
      return ps(g, argv);
    case 'spec':
      return spec(g, argv);
    case 'features':
      return features();
    case 'exec':
      return exec(g, argv, -1);
    case 'events':
      return events(g, argv);
    case 'update':
      return update(g, argv);
    case 'pause':
    case 'resume': {
      const p = parseFlags(argv, { values: [], bools: [] });
      const { state, s } = loadState(g, p.args[0]);
      const release = state.lock(s.id);
      try {
        const r = sentryAlive(s) ? request(state.sock(s.id), { op: cmd }) : null;
        if (!r) throw new StateError('container not running');
        if (typeof r.error === 'string') throw new StateError(r.error);
      } finally {
        release();
      }
      return 0;
    }
    case 'checkpoint':
    case 'restore':
      notSupported(cmd);
      break;
    default:
      throw new UsageError(`unknown command ${cmd}`);
  }
  return 0;
}

/** The whole command: returns the exit status. */
export async function ociMain(argv: string[]): Promise<number> {
  let g: Globals;
  let rest: string[];
  try {
    ({ g, rest } = parseGlobals(argv));
  } catch (e) {
    writeDiag(`tsvisor: ${(e as Error).message}\n`);
    return 1;
  }
  const cmd = rest[0];
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    out(USAGE);
    return cmd ? 0 : 1;
  }
  if (cmd === '-v' || cmd === '--version' || cmd === 'version') {
    out(`tsvisor-oci version ${VERSION}\nspec: ${SPEC_VERSION}\n`);
    return 0;
  }
  g.log.debug(`${cmd} ${rest.slice(1).join(' ')}`);
  try {
    return await dispatch(g, cmd, rest.slice(1));
  } catch (e) {
    const msg = (e as Error).message.replace(/^tsvisor: /, '');
    if (e instanceof UsageError || e instanceof StateError || e instanceof ConfigError) g.log.error(msg);
    else g.log.error(`${cmd}: ${msg}`);
    return 1;
  }
}
