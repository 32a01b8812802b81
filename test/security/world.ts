// The host side of the escape suite: a private rootfs (busybox, a few /etc
// files, the escape programs under /t), a secret file next to it (outside the
// rootfs), a host program outside it, and a host process the guests aim at.
// After each run the world is checked: the secret and the rootfs unchanged,
// the host process alive, the host's name unchanged.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGuest, ROOT, runTsvisor, type RunOutput } from '../lib/guest.js';
import { treeHash } from '../lib/tree.js';

export const SECURITY_DIR = join(ROOT, 'test', 'security');

export interface World {
  base: string;
  rootfs: string;
  secretPath: string;
  secret: string;
  hostProg: string;
  hostPid: number;
  env: Record<string, string>;
  /** What must hold after any guest ran; the problems found. */
  check(): string[];
  run(program: string, isolation: string, args?: string[], extraEnv?: Record<string, string>, timeoutMs?: number, flags?: string[]): RunOutput;
  cleanup(): void;
}


export function makeWorld(programs: string[]): World {
  const base = mkdtempSync(join(tmpdir(), 'tsv-sec-'));
  const rootfs = join(base, 'rootfs');
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'dev', 'sys', 't', 'usr/bin', 'data']) mkdirSync(join(rootfs, d), { recursive: true });
  const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => spawnSync('test', ['-x', p]).status === 0);
  if (!busybox) throw new Error('the escape suite needs a static busybox on the host');
  copyFileSync(busybox, join(rootfs, 'bin', 'busybox'));
  for (const l of ['sh', 'true', 'cat', 'ls', 'echo', 'sleep', 'env', 'id']) symlinkSync('busybox', join(rootfs, 'bin', l));
  writeFileSync(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/tmp:/bin/sh\n');
  writeFileSync(join(rootfs, 'etc', 'group'), 'root:x:0:\nuser:x:1000:\n');
  writeFileSync(join(rootfs, 'data', 'lower.txt'), 'LOWER-LAYER-ORIGINAL\n');
  chmodSync(join(rootfs, 'data', 'lower.txt'), 0o644);
  writeFileSync(join(rootfs, 'data', 'readonly.txt'), 'READ-ONLY-ORIGINAL\n');
  chmodSync(join(rootfs, 'data', 'readonly.txt'), 0o444);
  for (const p of programs) {
    copyFileSync(compileGuest(p, SECURITY_DIR), join(rootfs, 't', p));
    chmodSync(join(rootfs, 't', p), 0o755);
  }
  const secret = `HOST-SECRET-${randomBytes(12).toString('hex')}`;
  const secretPath = join(base, 'secret.txt');
  writeFileSync(secretPath, secret + '\n');
  const hostProg = join(base, 'hostprog.sh');
  writeFileSync(hostProg, '#!/bin/sh\necho HOST-EXEC-ESCAPED\n');
  chmodSync(hostProg, 0o755);
  // A host process outside the sandbox: guests try to signal, trace and read it.
  const sleeper: ChildProcess = spawn('sleep', ['3600'], { stdio: 'ignore', detached: true });
  const hostPid = sleeper.pid!;
  const digest = treeHash(rootfs);
  const host = hostname();
  const env = { SECRET_PATH: secretPath, HOST_PID: String(hostPid), HOST_PROG: hostProg, ROOTFS: rootfs };
  return {
    base,
    rootfs,
    secretPath,
    secret,
    hostProg,
    hostPid,
    env,
    check(): string[] {
      const problems: string[] = [];
      if (readFileSync(secretPath, 'latin1') !== secret + '\n') problems.push('the host secret changed');
      if (treeHash(rootfs) !== digest) problems.push('the rootfs (lower layer) changed');
      if (hostname() !== host) problems.push(`the host's name changed to ${hostname()}`);
      try {
        process.kill(hostPid, 0);
        const stat = readFileSync(`/proc/${hostPid}/stat`, 'latin1');
        if (/\) [ZTt] /.test(stat)) problems.push(`the host process is stopped or dead: ${stat.slice(0, 60)}`);
      } catch {
        problems.push('the host process was killed');
      }
      return problems;
    },
    run(program, isolation, args = [], extraEnv = {}, timeoutMs = 120000, flags = []) {
      return runTsvisor([`/t/${program}`, ...args], ['--rootfs', rootfs, '--isolation', isolation, ...flags], { env: { ...env, ...extraEnv }, timeoutMs });
    },
    cleanup() {
      try {
        process.kill(hostPid, 'SIGKILL');
      } catch {
        // already gone: check() said so
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
}
