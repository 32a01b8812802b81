// The mount flags of `tsvisor run`, parsed into the Sandbox's MountSpecs:
//   --mount type=bind,src=HOST,dst=GUEST[,ro]     (docker's --mount syntax)
//   --mount type=tmpfs,dst=GUEST[,tmpfs-size=64m][,tmpfs-mode=1777]
//   -v HOST:GUEST[:ro|:rw]                         (docker's -v)
//   --tmpfs GUEST[:size=64m,mode=1777,ro,noexec]   (docker's --tmpfs)
// Each parser calls `fail` with a one-line message naming its flag.
import { resolve } from 'node:path';
import { parseSize } from '../kernel/limits.js';
import type { MountSpec } from '../sandbox.js';

export type Fail = (msg: string) => never;

// Sizes are parsed as every product parses them (kernel/limits.ts).
export { parseSize };

function parseMode(s: string): number | null {
  return /^[0-7]{1,4}$/.test(s) ? parseInt(s, 8) : null;
}

function guestPath(flag: string, p: string | undefined, fail: Fail): string {
  if (!p) fail(`${flag}: missing the path inside the sandbox`);
  if (!p.startsWith('/')) fail(`${flag}: ${p}: the path inside the sandbox must be absolute`);
  if (p.split('/').includes('..')) fail(`${flag}: ${p}: ".." is not allowed in the path inside the sandbox`);
  return p;
}

function hostPath(flag: string, p: string | undefined, fail: Fail): string {
  if (!p) fail(`${flag}: missing the host path`);
  return resolve(p);
}

/** `--mount type=bind,src=...,dst=...[,ro]` or `type=tmpfs,dst=...`. */
export function parseMountFlag(v: string, fail: Fail): MountSpec {
  const kv = new Map<string, string>();
  const flags = new Set<string>();
  for (const part of v.split(',')) {
    if (!part) continue;
    const i = part.indexOf('=');
    if (i < 0) flags.add(part);
    else kv.set(part.slice(0, i), part.slice(i + 1));
  }
  const get = (...names: string[]) => names.map((n) => kv.get(n)).find((x) => x !== undefined);
  const bool = (name: string, ...aliases: string[]): boolean => {
    for (const n of [name, ...aliases]) {
      if (flags.has(n)) return true;
      const x = kv.get(n);
      if (x === undefined) continue;
      if (x === 'true' || x === '1') return true;
      if (x === 'false' || x === '0') return false;
      fail(`--mount: ${n}=${x}: expected true or false`);
    }
    return false;
  };
  const type = kv.get('type') ?? 'bind';
  const known = new Set(['type', 'src', 'source', 'dst', 'destination', 'target', 'ro', 'readonly', 'tmpfs-size', 'tmpfs-mode']);
  for (const k of [...kv.keys(), ...flags]) if (!known.has(k)) fail(`--mount: unknown option "${k}" in "${v}"`);
  const target = guestPath('--mount', get('dst', 'destination', 'target'), fail);
  const readOnly = bool('ro', 'readonly');
  if (type === 'bind') {
    if (kv.has('tmpfs-size') || kv.has('tmpfs-mode')) fail('--mount: tmpfs-size and tmpfs-mode go with type=tmpfs');
    return { type: 'bind', source: hostPath('--mount', get('src', 'source'), fail), target, readOnly };
  }
  if (type === 'tmpfs') {
    if (get('src', 'source') !== undefined) fail('--mount: type=tmpfs takes no src');
    const spec: MountSpec = { type: 'tmpfs', target, readOnly };
    const size = kv.get('tmpfs-size');
    if (size !== undefined) spec.size = parseSize(size) ?? fail(`--mount: tmpfs-size=${size}: expected a size like 64m`);
    const mode = kv.get('tmpfs-mode');
    if (mode !== undefined) spec.mode = parseMode(mode) ?? fail(`--mount: tmpfs-mode=${mode}: expected an octal mode like 1777`);
    return spec;
  }
  return fail(`--mount: type=${type}: expected bind or tmpfs`);
}

/** `-v HOST:GUEST[:ro|:rw]` */
export function parseVolume(v: string, fail: Fail): MountSpec {
  const parts = v.split(':');
  if (parts.length < 2 || parts.length > 3) fail(`--volume: expected HOST:GUEST[:ro], got "${v}"`);
  const [src, dst, opt] = parts;
  let readOnly = false;
  if (opt !== undefined) {
    const opts = opt.split(',');
    for (const o of opts) {
      if (o === 'ro') readOnly = true;
      else if (o !== 'rw') fail(`--volume: unknown option "${o}" in "${v}" (ro or rw)`);
    }
  }
  return { type: 'bind', source: hostPath('--volume', src, fail), target: guestPath('--volume', dst, fail), readOnly };
}

/** `--tmpfs GUEST[:size=64m,mode=1777,ro,noexec]` */
export function parseTmpfs(v: string, fail: Fail): MountSpec {
  const i = v.indexOf(':');
  const target = guestPath('--tmpfs', i < 0 ? v : v.slice(0, i), fail);
  const spec: MountSpec = { type: 'tmpfs', target };
  if (i < 0) return spec;
  for (const o of v.slice(i + 1).split(',')) {
    if (!o) continue;
    const [k, val] = o.split('=', 2) as [string, string | undefined];
    if (k === 'size' && val !== undefined) spec.size = parseSize(val) ?? fail(`--tmpfs: size=${val}: expected a size like 64m`);
    else if (k === 'mode' && val !== undefined) spec.mode = parseMode(val) ?? fail(`--tmpfs: mode=${val}: expected an octal mode like 1777`);
    else if (k === 'ro' && val === undefined) spec.readOnly = true;
    else if (k === 'noexec' && val === undefined) spec.noexec = true;
    else if ((k === 'rw' || k === 'exec' || k === 'nosuid' || k === 'nodev') && val === undefined) {
      // rw and exec are the defaults; nosuid and nodev are always on.
    } else fail(`--tmpfs: unknown option "${o}" in "${v}" (size=, mode=, ro, noexec)`);
  }
  return spec;
}
