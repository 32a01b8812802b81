// The sentry of one container: the process `create` leaves behind. It owns
// the Sandbox, holds it "created" until `start`, serves the control socket
// (start, state, kill, exec, ps, pause/resume), and exits with the init
// process's exit status (conmon and containerd's shim read it as the
// container's).
import { chmodSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { E } from '../abi/errno.js';
import { Sig } from '../abi/signals.js';
import { type HostTerminal, hostTerminal } from '../platform/host-terminal.js';
import { unshareNetwork } from '../platform/oci-host.js';
import { type ExecHandle, type RunResult, Sandbox } from '../sandbox.js';
import { type OciConfig, type OciProcess, parseProcess, sandboxOptions } from './config.js';
import { type ConsoleBridge, consoleBridge } from './console.js';
import { type Conn, ControlServer, type Msg } from './control.js';
import { freezerFor } from './freezer.js';
import { type HookState, runHooks } from './hooks.js';
import type { Log } from './log.js';
import { type StateDir, type StateFile, startTime } from './state.js';

export interface SentryOptions {
  state: StateDir;
  id: string;
  bundle: string;
  config: OciConfig;
  isolation: 'balanced' | 'strict';
  log: Log;
  /** Where to send the terminal's master (process.terminal). */
  consoleSocket?: string;
  /** process.terminal without a console socket (`run` in the foreground): the terminal is our own stdin and stdout, as runc does. */
  hostTerminal?: boolean;
  /** Start at once (`run`) instead of waiting for `start`. */
  autostart: boolean;
  /** Called once: null when the container is created (state written, socket listening), else the error. */
  ready: (err: string | null) => void;
}

/** Signals whose default action neither ends nor stops a process. */
const HARMLESS = new Set<number>([Sig.SIGCHLD, Sig.SIGCONT, Sig.SIGURG, Sig.SIGWINCH, 0]);
const STOPS = new Set<number>([Sig.SIGSTOP, Sig.SIGTSTP, Sig.SIGTTIN, Sig.SIGTTOU]);

/**
 * The container's resource use and limits, shaped as runc's `events` stats
 * (cpu, memory, pids): CPU time and resident memory of every guest process
 * from the host's /proc, tasks as the sandbox counts them.
 */
function containerStats(sb: Sandbox): Record<string, unknown> {
  let rss = 0;
  let user = 0;
  let system = 0;
  for (const pid of sb.hostPids()) {
    try {
      const t = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = t.slice(t.lastIndexOf(')') + 2).split(' ');
      user += Number(f[11]);
      system += Number(f[12]);
      rss += Number(f[21]) * 4096;
    } catch {
      // exited meanwhile
    }
  }
  const lim = sb.limits;
  // Clock ticks (1/100 s) to nanoseconds, as cgroup cpuacct reports.
  const ns = (ticks: number): number => ticks * 1e7;
  return {
    cpu: { usage: { total: ns(user + system), user: ns(user), kernel: ns(system) }, limit: { cpus: lim.cpus ?? 0 } },
    memory: { usage: { usage: rss, limit: lim.memory ?? 0 } },
    pids: { current: sb.taskCount, limit: lim.processes ?? 0 },
  };
}

export async function runSentry(o: SentryOptions): Promise<number> {
  const { state, id, config, log } = o;
  // Clients get this process's pid, and their network set-up opens
  // /proc/PID/ns/net (Docker's libnetwork hook turned IPv6 off and loopback
  // up there: on the host, before). The sandbox's network is the sentry's
  // own (loopback only, --network=none), so this process needs none of the
  // host's; without the privilege (rootless) the client gave us one already.
  const net = unshareNetwork();
  if (net < 0 && net !== -E.EPERM) log.warn(`network namespace of the sentry: errno ${-net}`);
  let bridge: ConsoleBridge | null = null;
  let term: HostTerminal | null = null;
  if (config.process.terminal && o.consoleSocket) {
    const b = consoleBridge(o.consoleSocket, config.process.consoleSize);
    if (typeof b === 'string') {
      o.ready(b);
      return 125;
    }
    bridge = b;
  } else if (config.process.terminal && o.hostTerminal) {
    term = hostTerminal(true);
  } else if (config.process.terminal) {
    o.ready('process.terminal is set but no --console-socket was given');
    return 125;
  }
  const size = config.process.consoleSize;
  const tty = bridge?.tty ?? (term && { output: (b: Buffer) => term!.output(b), rows: term.rows || size?.height || 24, cols: term.cols || size?.width || 80 });
  let sb: Sandbox;
  try {
    sb = new Sandbox({ ...sandboxOptions(config, o.isolation), tty: tty ?? undefined, log: (l) => log.write('warning', l.replace(/^tsvisor: /, '')) });
  } catch (e) {
    bridge?.close();
    o.ready((e as Error).message.replace(/^tsvisor: /, ''));
    return 125;
  }
  for (const w of config.warnings) log.warn(w);

  let status: 'created' | 'running' | 'paused' | 'stopped' = 'created';
  let resolveStart!: (how: { start: true } | { kill: number }) => void;
  const started = new Promise<{ start: true } | { kill: number }>((r) => (resolveStart = r));
  const execs = new Map<number, ExecHandle>();
  const freezer = freezerFor(id);
  const hookState = (): HookState => ({ ociVersion: config.ociVersion, id, status, pid: process.pid, bundle: o.bundle, annotations: config.annotations });

  const handle = (m: Msg, fds: number[], c: Conn): void => {
    const closeFds = (): void => {
      for (const f of fds) closeSync(f);
    };
    switch (m.op) {
      case 'state':
        c.send({ status, pid: process.pid });
        break;
      case 'start':
        if (status !== 'created') c.send({ error: `cannot start a container in the ${status} state` });
        else {
          const err = runHooks('startContainer', config.hooks.startContainer, hookState());
          if (err) {
            c.send({ error: err });
            resolveStart({ kill: Sig.SIGKILL });
            break;
          }
          status = 'running';
          resolveStart({ start: true });
          // Answered once init exists (below): start returns after poststart hooks.
          startWaiters.push(c);
        }
        break;
      case 'kill': {
        const sig = Number(m.signal);
        if (status === 'created') {
          if (!HARMLESS.has(sig) && !STOPS.has(sig)) resolveStart({ kill: sig });
        } else {
          if (m.all) sb.signalAll(sig);
          else sb.signal(sig);
          // A frozen process dies only once thawed (cgroup v1).
          if (status === 'paused' && sig === Sig.SIGKILL && freezer.thaw() === null) status = 'running';
        }
        c.send({ ok: true });
        break;
      }
      case 'ps':
        c.send({ pids: status === 'created' ? [] : sb.hostPids() });
        break;
      case 'exec': {
        if (status !== 'running') {
          closeFds();
          c.send({ error: `cannot exec in a ${status} container` });
          break;
        }
        let p: OciProcess;
        try {
          p = parseProcess(m.process, 'process');
        } catch (e) {
          closeFds();
          c.send({ error: (e as Error).message });
          break;
        }
        // `exec ID CMD` (no --process) runs with the container's process settings, as runc's does.
        if (m.inherit === true) {
          p.capSets ??= config.process.capSets;
          p.umask ??= config.process.umask;
        }
        let term: ConsoleBridge | null = null;
        if (p.terminal) {
          const b = typeof m.consoleSocket === 'string' ? consoleBridge(m.consoleSocket, p.consoleSize) : 'process.terminal is set but no --console-socket was given';
          if (typeof b === 'string') {
            closeFds();
            c.send({ error: b });
            break;
          }
          term = b;
        }
        const stdio = (fds.length >= 3 ? [fds[0], fds[1], fds[2]] : undefined) as [number, number, number] | undefined;
        const h = sb.exec(p.args, {
          env: p.env,
          cwd: p.cwd,
          uid: p.uid,
          gid: p.gid,
          groups: p.additionalGids,
          stdio,
          tty: term?.tty,
          umask: p.umask,
          capabilities: p.capSets ?? undefined,
        });
        closeFds();
        if ('error' in h) {
          term?.close();
          c.send({ error: h.error, code: h.code });
          break;
        }
        if (term && h.console) term.attach(h.console);
        execs.set(h.hostPid, h);
        c.send({ pid: h.hostPid, vpid: h.pid });
        void h.exit.then((code) => {
          term?.close();
          execs.delete(h.hostPid);
          c.send({ exit: code });
          c.close();
        });
        return; // the connection stays open until the process exits
      }
      case 'signal-exec': {
        const h = execs.get(Number(m.pid));
        if (h) h.signal(Number(m.signal));
        c.send({ ok: !!h });
        break;
      }
      case 'stats':
        c.send(status === 'created' || status === 'stopped' ? { error: `the container is ${status}` } : { stats: containerStats(sb) });
        break;
      case 'events': {
        // A stream: stats every `interval` ms, an oom event when the memory limit ends the sandbox; it ends with the container.
        const ms = Math.max(10, Number(m.interval) || 5000);
        const tick = (): void => {
          if (status === 'running' || status === 'paused') c.send({ type: 'stats', id, data: containerStats(sb) });
        };
        const timer = setInterval(tick, ms);
        const w = { conn: c, stop: () => clearInterval(timer) };
        watchers.add(w);
        c.onClose = () => {
          w.stop();
          watchers.delete(w);
        };
        tick();
        return;
      }
      case 'update': {
        if (status === 'stopped') {
          c.send({ error: 'container not running' });
          break;
        }
        const err = sb.updateLimits(m.limits as Parameters<Sandbox['updateLimits']>[0]);
        if (err) c.send({ error: err });
        else {
          log.debug(`update: limits now ${JSON.stringify(sb.limits)}`);
          c.send({ ok: true });
        }
        break;
      }
      case 'pause': {
        if (status !== 'running') {
          c.send({ error: `cannot pause a container in the ${status} state` });
          break;
        }
        status = 'paused';
        void freezer.freeze(() => sb.hostPids()).then((err) => {
          if (err) {
            freezer.thaw();
            if (status === 'paused') status = 'running';
            c.send({ error: err });
          } else c.send({ ok: true });
        });
        return; // answered once frozen
      }
      case 'resume': {
        if (status !== 'paused') {
          c.send({ error: `cannot resume a container in the ${status} state` });
          break;
        }
        const err = freezer.thaw();
        if (err) c.send({ error: err });
        else {
          status = 'running';
          c.send({ ok: true });
        }
        break;
      }
      default:
        c.send({ error: `unknown request ${String(m.op)}` });
    }
    closeFds();
  };
  const startWaiters: Conn[] = [];
  const watchers = new Set<{ conn: Conn; stop: () => void }>();
  sb.kernel.onLimitReached = (code) => {
    if (code !== 137) return;
    for (const w of watchers) w.conn.send({ type: 'oom', id });
  };

  const sock = state.sock(id);
  const server = ControlServer.listen(sock, handle);
  if (typeof server === 'number') {
    o.ready(`cannot listen on ${sock}: errno ${-server}`);
    return 125;
  }
  chmodSync(sock, 0o600);
  const cleanup = (): void => {
    for (const w of watchers) w.stop();
    watchers.clear();
    freezer.thaw();
    freezer.remove();
    bridge?.close();
    term?.detach();
    server.close();
    rmSync(sock, { force: true });
  };

  const st: StateFile = {
    ociVersion: config.ociVersion,
    id,
    bundle: o.bundle,
    rootfs: config.rootfs,
    pid: process.pid,
    pidStart: startTime(process.pid) ?? '',
    created: new Date().toISOString(),
    owner: '',
    annotations: config.annotations,
    poststop: config.hooks.poststop,
  };
  state.write(st);
  for (const [kind, list] of [
    ['prestart', config.hooks.prestart],
    ['createRuntime', config.hooks.createRuntime],
    ['createContainer', config.hooks.createContainer],
  ] as const) {
    const err = runHooks(kind, list, hookState());
    if (err) {
      cleanup();
      o.ready(err);
      return 125;
    }
  }

  // Signals to the sentry itself go to the container, as to a container's init.
  const forward = [Sig.SIGTERM, Sig.SIGINT, Sig.SIGHUP, Sig.SIGQUIT, Sig.SIGUSR1, Sig.SIGUSR2, Sig.SIGWINCH];
  const names: Record<number, NodeJS.Signals> = { 15: 'SIGTERM', 2: 'SIGINT', 1: 'SIGHUP', 3: 'SIGQUIT', 10: 'SIGUSR1', 12: 'SIGUSR2', 28: 'SIGWINCH' };
  for (const s of forward) {
    process.on(names[s]!, () => {
      if (status === 'created') {
        if (!HARMLESS.has(s)) resolveStart({ kill: s });
      } else sb.signal(s);
    });
  }

  o.ready(null);
  if (o.autostart) {
    status = 'running';
    resolveStart({ start: true });
  }
  const how = await started;
  if ('kill' in how) {
    status = 'stopped';
    cleanup();
    return 128 + how.kill;
  }
  const p = config.process;
  let run: Promise<RunResult>;
  try {
    run = sb.run(p.args);
  } catch (e) {
    log.error((e as Error).message.replace(/^tsvisor: /, ''));
    cleanup();
    return 125;
  }
  if (bridge && sb.console) bridge.attach(sb.console);
  if (term && sb.console) term.attach(sb.console);
  for (const c of startWaiters.splice(0)) c.send({ ok: true });
  const err = runHooks('poststart', config.hooks.poststart, hookState());
  if (err) log.warn(err);
  const res = await run;
  status = 'stopped';
  if (res.error) log.error(res.error.replace(/^tsvisor: /, ''));
  cleanup();
  return res.code;
}
