// config.json of an OCI bundle (runtime-spec 1.x): validated, then mapped to
// SandboxOptions and the process to run. An invalid file gives one error
// naming the JSON path (ConfigError). What is honoured, emulated or ignored
// is listed in docs/oci.md.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { sysctlRefusal, sysctlValueRefusal, dottedSysctl } from '../kernel/sysctl.js';
import { parseSize } from '../kernel/limits.js';
import type { CapSets, MountSpec, SandboxLimits, SandboxOptions } from '../sandbox.js';
import { capNumber } from '../vfs/creds.js';

export class ConfigError extends Error {}

/** The process of config.json (or of `exec --process FILE`). */
export interface OciProcess {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  uid: number;
  gid: number;
  additionalGids: number[];
  terminal: boolean;
  consoleSize: { height: number; width: number } | null;
  /** The names as given (recorded). */
  capabilities: Record<string, string[]>;
  /** The sets as masks; null when the process has no capabilities object (the sandbox's defaults). */
  capSets: CapSets | null;
  /** Capability names that are not Linux's (ignored, as runc ignores them with a warning). */
  unknownCaps: string[];
  noNewPrivileges: boolean;
  rlimits: { resource: number; soft: number; hard: number }[];
  umask: number | undefined;
  oomScoreAdj: number | undefined;
}

const RLIMITS = ['CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NPROC', 'NOFILE', 'MEMLOCK', 'AS', 'LOCKS', 'SIGPENDING', 'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME'];
/** RLIM_INFINITY (2^64 - 1) does not survive JSON.parse exactly: anything from 2^63 up is infinite. */
const rlim = (v: number): number => (v >= 2 ** 63 ? Infinity : v);

export interface OciHook {
  path: string;
  args: string[];
  env: string[];
  timeout: number | null;
}

export interface OciHooks {
  prestart: OciHook[];
  createRuntime: OciHook[];
  createContainer: OciHook[];
  startContainer: OciHook[];
  poststart: OciHook[];
  poststop: OciHook[];
}

export interface OciConfig {
  ociVersion: string;
  process: OciProcess;
  rootfs: string;
  rootReadonly: boolean;
  hostname: string | undefined;
  domainname: string | undefined;
  annotations: Record<string, string>;
  mounts: MountSpec[];
  hooks: OciHooks;
  /** linux.resources applied as the sandbox's limits (memory, pids, cpu quota). */
  limits: SandboxLimits;
  /** linux.sysctl, dotted names. */
  sysctl: Record<string, string>;
  maskedPaths: string[];
  readonlyPaths: string[];
  /** Things accepted but not applied (for the log). */
  warnings: string[];
}

type J = Record<string, unknown>;

const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(path: string, msg: string): never {
  throw new ConfigError(`config.json: ${path}: ${msg}`);
}

function obj(v: unknown, path: string): J {
  if (!isObj(v)) fail(path, 'must be an object');
  return v;
}

function optObj(parent: J, key: string, path: string): J | undefined {
  const v = parent[key];
  if (v === undefined || v === null) return undefined;
  return obj(v, `${path}.${key}`);
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'must be a string');
  return v;
}

function optStr(parent: J, key: string, path: string): string | undefined {
  const v = parent[key];
  return v === undefined || v === null ? undefined : str(v, `${path}.${key}`);
}

function strArray(v: unknown, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(path, 'must be an array of strings');
  return v.map((x, i) => str(x, `${path}[${i}]`));
}

function uint(v: unknown, path: string, max = 2 ** 32 - 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(path, `must be an integer from 0 to ${max}`);
  return v;
}

function optUint(parent: J, key: string, path: string): number | undefined {
  const v = parent[key];
  return v === undefined || v === null ? undefined : uint(v, `${path}.${key}`);
}

function bool(parent: J, key: string, path: string): boolean {
  const v = parent[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(`${path}.${key}`, 'must be true or false');
  return v;
}

/** ["K=V", ...] → record (the last of equal names wins, as execve's getenv sees the first: keep the first). */
export function envRecord(list: string[], path: string): Record<string, string> {
  const env: Record<string, string> = {};
  list.forEach((e, i) => {
    const eq = e.indexOf('=');
    if (eq <= 0) fail(`${path}[${i}]`, `"${e}" is not NAME=VALUE`);
    const k = e.slice(0, eq);
    if (!(k in env)) env[k] = e.slice(eq + 1);
  });
  return env;
}

/** The `process` object (config.json's, or an exec's process.json where `path` is "process"). */
export function parseProcess(v: unknown, path: string): OciProcess {
  const p = obj(v, path);
  const args = strArray(p.args, `${path}.args`);
  if (!args.length) fail(`${path}.args`, 'must name the program to run');
  const cwd = optStr(p, 'cwd', path) ?? '/';
  if (!isAbsolute(cwd)) fail(`${path}.cwd`, 'must be an absolute path');
  const user = optObj(p, 'user', path) ?? {};
  const uid = optUint(user, 'uid', `${path}.user`) ?? 0;
  const gid = optUint(user, 'gid', `${path}.user`) ?? 0;
  const additionalGids = Array.isArray(user.additionalGids) ? user.additionalGids.map((g, i) => uint(g, `${path}.user.additionalGids[${i}]`)) : [];
  const umask = optUint(user, 'umask', `${path}.user`);
  if (umask !== undefined && umask > 0o777) fail(`${path}.user.umask`, 'must be from 0 to 0777 (511)');
  const cs = optObj(p, 'consoleSize', path);
  const consoleSize = cs ? { height: uint(cs.height, `${path}.consoleSize.height`), width: uint(cs.width, `${path}.consoleSize.width`) } : null;
  const caps: Record<string, string[]> = {};
  const c = optObj(p, 'capabilities', path);
  if (c) for (const k of Object.keys(c)) caps[k] = strArray(c[k], `${path}.capabilities.${k}`);
  const unknownCaps: string[] = [];
  const mask = (k: string): bigint => {
    let m = 0n;
    for (const name of caps[k] ?? []) {
      const n = capNumber(name);
      if (n < 0) unknownCaps.push(name);
      else m |= 1n << BigInt(n);
    }
    return m;
  };
  const capSets: CapSets | null = c
    ? { effective: mask('effective'), permitted: mask('permitted'), inheritable: mask('inheritable'), bounding: mask('bounding'), ambient: mask('ambient') }
    : null;
  const rlimits: { resource: number; soft: number; hard: number }[] = [];
  if (p.rlimits !== undefined && p.rlimits !== null) {
    if (!Array.isArray(p.rlimits)) fail(`${path}.rlimits`, 'must be an array');
    p.rlimits.forEach((r, i) => {
      const o = obj(r, `${path}.rlimits[${i}]`);
      const t = str(o.type, `${path}.rlimits[${i}].type`);
      const resource = RLIMITS.indexOf(t.replace(/^RLIMIT_/, ''));
      if (!t.startsWith('RLIMIT_') || resource < 0) fail(`${path}.rlimits[${i}].type`, `unknown limit ${t}`);
      for (const k of ['soft', 'hard']) {
        const x = o[k];
        if (typeof x !== 'number' || x < 0) fail(`${path}.rlimits[${i}].${k}`, 'must be a non-negative number');
      }
      const soft = rlim(o.soft as number);
      const hard = rlim(o.hard as number);
      if (soft > hard) fail(`${path}.rlimits[${i}]`, 'soft limit above the hard limit');
      rlimits.push({ resource, soft, hard });
    });
  }
  if (p.oomScoreAdj !== undefined && p.oomScoreAdj !== null && (typeof p.oomScoreAdj !== 'number' || !Number.isInteger(p.oomScoreAdj) || p.oomScoreAdj < -1000 || p.oomScoreAdj > 1000)) {
    fail(`${path}.oomScoreAdj`, 'must be an integer from -1000 to 1000');
  }
  return {
    args,
    env: envRecord(strArray(p.env, `${path}.env`), `${path}.env`),
    cwd,
    uid,
    gid,
    additionalGids,
    terminal: bool(p, 'terminal', path),
    consoleSize,
    capabilities: caps,
    capSets,
    unknownCaps: [...new Set(unknownCaps)],
    noNewPrivileges: bool(p, 'noNewPrivileges', path),
    rlimits,
    umask,
    oomScoreAdj: typeof p.oomScoreAdj === 'number' ? p.oomScoreAdj : undefined,
  };
}

/** Filesystems the sandbox provides itself at their usual places. */
const BUILTIN: Record<string, string[]> = {
  proc: ['/proc'],
  sysfs: ['/sys'],
  devpts: ['/dev/pts'],
  mqueue: ['/dev/mqueue'],
  cgroup: ['/sys/fs/cgroup'],
  cgroup2: ['/sys/fs/cgroup'],
};

function parseMounts(v: unknown, bundle: string, warnings: string[]): MountSpec[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail('mounts', 'must be an array');
  const out: MountSpec[] = [];
  v.forEach((m, i) => {
    const path = `mounts[${i}]`;
    const o = obj(m, path);
    const dest = str(o.destination, `${path}.destination`);
    if (!isAbsolute(dest)) fail(`${path}.destination`, 'must be an absolute path');
    const type = optStr(o, 'type', path) ?? '';
    const opts = strArray(o.options, `${path}.options`);
    const source = optStr(o, 'source', path) ?? '';
    const isBind = type === 'bind' || opts.includes('bind') || opts.includes('rbind');
    const ro = opts.includes('ro');
    const norm = dest.replace(/\/+$/, '') || '/';
    if (isBind) {
      if (!source) fail(`${path}.source`, 'a bind mount needs a source');
      out.push({ type: 'bind', source: isAbsolute(source) ? source : resolve(bundle, source), target: norm, readOnly: ro });
      return;
    }
    if (BUILTIN[type]?.includes(norm)) return; // the sandbox's own
    if (type === 'tmpfs') {
      // /dev is the sandbox's devfs (device nodes it emulates); a tmpfs there would hide them.
      if (norm === '/dev') return;
      let size = 0;
      let mode: number | undefined;
      for (const op of opts) {
        if (op.startsWith('size=')) {
          const s = parseSize(op.slice(5));
          if (s === null) fail(`${path}.options`, `bad size ${op}`);
          size = s;
        } else if (op.startsWith('mode=')) {
          if (!/^[0-7]{1,4}$/.test(op.slice(5))) fail(`${path}.options`, `bad mode ${op}`);
          mode = parseInt(op.slice(5), 8);
        }
      }
      out.push({ type: 'tmpfs', target: norm, size, mode, readOnly: ro, noexec: opts.includes('noexec') });
      return;
    }
    warnings.push(`mount of type "${type}" at ${dest} skipped (not supported)`);
  });
  return out;
}

function parseHooks(v: unknown): OciHooks {
  const hooks: OciHooks = { prestart: [], createRuntime: [], createContainer: [], startContainer: [], poststart: [], poststop: [] };
  if (v === undefined || v === null) return hooks;
  const o = obj(v, 'hooks');
  for (const k of Object.keys(hooks) as (keyof OciHooks)[]) {
    const list = o[k];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(`hooks.${k}`, 'must be an array');
    hooks[k] = list.map((h, i) => {
      const p = `hooks.${k}[${i}]`;
      const ho = obj(h, p);
      const hp = str(ho.path, `${p}.path`);
      if (!isAbsolute(hp)) fail(`${p}.path`, 'must be an absolute path');
      const timeout = ho.timeout === undefined || ho.timeout === null ? null : uint(ho.timeout, `${p}.timeout`);
      if (timeout === 0) fail(`${p}.timeout`, 'must be greater than zero');
      return { path: hp, args: strArray(ho.args, `${p}.args`), env: strArray(ho.env, `${p}.env`), timeout };
    });
  }
  return hooks;
}

const NAMESPACES = new Set(['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time']);

/**
 * linux.resources as the sandbox's limits: memory.limit (bytes; 0 or
 * negative: none), pids.limit (0 or negative: none), cpu.quota/cpu.period
 * (CPUs, rounded up). The rest (shares, cpusets, block I/O, hugepages...)
 * is validated as an object and not applied.
 */
function parseResources(l: J): SandboxLimits {
  const r = optObj(l, 'resources', 'linux');
  const out: SandboxLimits = {};
  if (!r) return out;
  const num = (o: J, k: string, path: string): number | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(`${path}.${k}`, 'must be an integer');
    return v;
  };
  const mem = optObj(r, 'memory', 'linux.resources');
  const limit = mem ? num(mem, 'limit', 'linux.resources.memory') : undefined;
  if (limit !== undefined && limit > 0) out.memory = limit;
  const pids = optObj(r, 'pids', 'linux.resources');
  const pl = pids ? num(pids, 'limit', 'linux.resources.pids') : undefined;
  if (pl !== undefined && pl > 0) out.processes = pl;
  const cpu = optObj(r, 'cpu', 'linux.resources');
  if (cpu) {
    const quota = num(cpu, 'quota', 'linux.resources.cpu');
    const period = num(cpu, 'period', 'linux.resources.cpu') ?? 100000;
    if (period <= 0) fail('linux.resources.cpu.period', 'must be positive');
    if (quota !== undefined && quota > 0) out.cpus = Math.max(1, Math.ceil(quota / period));
  }
  return out;
}

interface LinuxPart {
  sysctl: Record<string, string>;
  maskedPaths: string[];
  readonlyPaths: string[];
}

function checkLinux(v: unknown, warnings: string[]): LinuxPart {
  const out: LinuxPart = { sysctl: {}, maskedPaths: [], readonlyPaths: [] };
  if (v === undefined || v === null) return out;
  const l = obj(v, 'linux');
  if (l.namespaces !== undefined && l.namespaces !== null) {
    if (!Array.isArray(l.namespaces)) fail('linux.namespaces', 'must be an array');
    const seen = new Set<string>();
    l.namespaces.forEach((n, i) => {
      const o = obj(n, `linux.namespaces[${i}]`);
      const t = str(o.type, `linux.namespaces[${i}].type`);
      if (!NAMESPACES.has(t)) fail(`linux.namespaces[${i}].type`, `unknown namespace type "${t}"`);
      if (seen.has(t)) fail(`linux.namespaces[${i}].type`, `"${t}" given twice`);
      seen.add(t);
      if (o.path !== undefined) warnings.push(`namespace ${t}: joining ${String(o.path)} is not supported; the sandbox is isolated`);
    });
  }
  for (const k of ['uidMappings', 'gidMappings']) {
    const m = l[k];
    if (m === undefined || m === null) continue;
    if (!Array.isArray(m)) fail(`linux.${k}`, 'must be an array');
    m.forEach((x, i) => {
      const o = obj(x, `linux.${k}[${i}]`);
      for (const f of ['containerID', 'hostID', 'size']) uint(o[f], `linux.${k}[${i}].${f}`);
    });
  }
  for (const k of ['maskedPaths', 'readonlyPaths'] as const) {
    out[k] = strArray(l[k], `linux.${k}`);
    out[k].forEach((p, i) => {
      if (!isAbsolute(p)) fail(`linux.${k}[${i}]`, 'must be an absolute path');
    });
  }
  const sysctl = optObj(l, 'sysctl', 'linux');
  // As runc: only sysctls Linux keeps per namespace (the sandbox has its own IPC, network and UTS namespaces).
  if (sysctl) {
    for (const [k, x] of Object.entries(sysctl)) {
      const value = str(x, `linux.sysctl.${k}`);
      const why = sysctlRefusal(k) ?? sysctlValueRefusal(dottedSysctl(k), value);
      if (why) fail(`linux.sysctl.${k}`, why);
      out.sysctl[k] = value;
    }
  }
  return out;
}

/** Reads and validates BUNDLE/config.json. */
export function loadConfig(bundle: string): OciConfig {
  let text: string;
  try {
    text = readFileSync(resolve(bundle, 'config.json'), 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${resolve(bundle, 'config.json')}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`config.json: not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(raw, bundle);
}

export function parseConfig(raw: unknown, bundle: string): OciConfig {
  const c = obj(raw, '(top level)');
  const ociVersion = str(c.ociVersion, 'ociVersion');
  if (!/^1\.\d+\.\d+/.test(ociVersion)) fail('ociVersion', `unsupported version ${ociVersion} (1.x expected)`);
  const root = obj(c.root, 'root');
  const rpath = str(root.path, 'root.path');
  const warnings: string[] = [];
  const annotations: Record<string, string> = {};
  const a = optObj(c, 'annotations', '(top level)');
  if (a) for (const [k, v] of Object.entries(a)) annotations[k] = str(v, `annotations.${k}`);
  const linux = checkLinux(c.linux, warnings);
  const limits = c.linux === undefined || c.linux === null ? {} : parseResources(obj(c.linux, 'linux'));
  const proc = parseProcess(c.process, 'process');
  if (proc.unknownCaps.length) warnings.push(`unknown capabilities ignored: ${proc.unknownCaps.join(', ')}`);
  return {
    ociVersion,
    process: proc,
    rootfs: isAbsolute(rpath) ? rpath : resolve(bundle, rpath),
    rootReadonly: bool(root, 'readonly', 'root'),
    hostname: optStr(c, 'hostname', '(top level)'),
    domainname: optStr(c, 'domainname', '(top level)'),
    annotations,
    mounts: parseMounts(c.mounts, bundle, warnings),
    hooks: parseHooks(c.hooks),
    limits,
    sysctl: linux.sysctl,
    maskedPaths: linux.maskedPaths,
    readonlyPaths: linux.readonlyPaths,
    warnings,
  };
}

/** SandboxOptions for a container of this config. */
export function sandboxOptions(c: OciConfig, isolation: 'balanced' | 'strict'): SandboxOptions {
  return {
    rootfs: c.rootfs,
    mounts: c.mounts,
    isolation,
    env: c.process.env,
    cwd: c.process.cwd,
    hostname: c.hostname,
    domainname: c.domainname,
    groups: c.process.additionalGids,
    uid: c.process.uid,
    gid: c.process.gid,
    rlimits: c.process.rlimits,
    limits: c.limits,
    sysctl: c.sysctl,
    maskedPaths: c.maskedPaths,
    readonlyPaths: c.readonlyPaths,
    umask: c.process.umask,
    capabilities: c.process.capSets ?? undefined,
    oomScoreAdj: c.process.oomScoreAdj,
  };
}

/** The default config.json of `spec`: a rootless sandbox running sh in ./rootfs. */
export function defaultSpec(): J {
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: true,
      user: { uid: 0, gid: 0 },
      args: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
      capabilities: {
        bounding: ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'],
        effective: ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'],
        permitted: ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'],
        ambient: ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'],
      },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'tsvisor',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      uidMappings: [{ containerID: 0, hostID: process.getuid?.() ?? 0, size: 1 }],
      gidMappings: [{ containerID: 0, hostID: process.getgid?.() ?? 0, size: 1 }],
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'user' }],
      maskedPaths: ['/proc/kcore', '/proc/keys', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/sys'],
    },
  };
}

/** A change of a running container's limits (`update`): a number sets one, null lifts it, absent keeps it. */
export interface LimitUpdate {
  memory?: number | null;
  processes?: number | null;
  cpus?: number | null;
}

/**
 * LinuxResources of `update --resources` as a change of the sandbox's
 * limits, with runc's meaning of the values: memory.limit, pids.limit and
 * cpu.quota set a limit when positive, lift it when negative (-1) and keep
 * it when 0 or absent; cpu.period (default 100000) only scales a quota
 * given with it. The rest is validated and not applied (`ignored` names it).
 */
export function parseResourceUpdate(raw: unknown, path: string): { update: LimitUpdate; ignored: string[] } {
  const r = obj(raw, path);
  const update: LimitUpdate = {};
  const ignored: string[] = [];
  const int = (o: J, k: string, p: string): number | undefined => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(`${p}.${k}`, 'must be an integer');
    return v;
  };
  const change = (v: number | undefined): number | null | undefined => (v === undefined || v === 0 ? undefined : v < 0 ? null : v);
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (v === undefined || v === null) continue;
    if (k === 'memory') {
      const m = obj(v, `${path}.memory`);
      update.memory = change(int(m, 'limit', `${path}.memory`));
      for (const x of Object.keys(m)) if (x !== 'limit' && m[x] !== null && m[x] !== undefined) ignored.push(`memory.${x}`);
    } else if (k === 'pids') {
      update.processes = change(int(obj(v, `${path}.pids`), 'limit', `${path}.pids`));
    } else if (k === 'cpu') {
      const c = obj(v, `${path}.cpu`);
      const quota = change(int(c, 'quota', `${path}.cpu`));
      const period = int(c, 'period', `${path}.cpu`) ?? 100000;
      if (period <= 0) fail(`${path}.cpu.period`, 'must be positive');
      if (quota !== undefined) update.cpus = quota === null ? null : Math.max(1, Math.ceil(quota / period));
      for (const x of Object.keys(c)) if (x !== 'quota' && x !== 'period' && c[x] !== null && c[x] !== undefined) ignored.push(`cpu.${x}`);
    } else {
      ignored.push(k);
    }
  }
  for (const k of Object.keys(update) as (keyof LimitUpdate)[]) if (update[k] === undefined) delete update[k];
  return { update, ignored };
}
