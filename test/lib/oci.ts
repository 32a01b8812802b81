// A bundle and state root of their own for tests of bin/tsvisor-oci, and a
// runner that keeps each command's output in files (a background sentry may
// keep them open). Everything is removed at teardown: containers first
// (delete --force), then the directory.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type TestBase = { teardown(f: () => void): void };

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ociBin = join(repo, 'bin/tsvisor-oci');
// tap's loader hooks (NODE_OPTIONS) cannot load an extensionless ES module: the runtime runs as clients run it.
export const ociEnv = { ...process.env, NODE_OPTIONS: '' };
export const hasBusybox = spawnSync('sh', ['-c', 'command -v busybox']).status === 0;

export interface OciResult {
  code: number;
  out: string;
  err: string;
}

/** Whether host process `pid` is alive (not a zombie). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'latin1').includes(') Z');
  } catch {
    return false;
  }
}

/** A bundle running `cmd` (oci/make-bundle.sh) and a state root, removed at teardown. */
export function ociSetup(t: TestBase, cmd: string[] = ['sh', '-c', 'echo started; sleep 3600']) {
  const dir = mkdtempSync(join(tmpdir(), 'tsv-oci-'));
  const bundle = join(dir, 'bundle');
  const root = join(dir, 'state');
  const mk = spawnSync(join(repo, 'oci/make-bundle.sh'), [bundle, ...cmd], { encoding: 'utf8', env: ociEnv });
  if (mk.status !== 0) throw new Error(`make-bundle: ${mk.stderr}`);
  let n = 0;
  const cli = (args: string[], opts: { input?: string } = {}): OciResult => {
    const o = join(dir, `out${++n}`);
    const e = join(dir, `err${n}`);
    const fo = openSync(o, 'w');
    const fe = openSync(e, 'w');
    const inFile = join(dir, `in${n}`);
    writeFileSync(inFile, opts.input ?? '');
    const fi = openSync(inFile, 'r');
    const r = spawnSync(process.execPath, [ociBin, '--root', root, ...args], { stdio: [fi, fo, fe], cwd: bundle, timeout: 60000, env: ociEnv });
    for (const fd of [fi, fo, fe]) closeSync(fd);
    return { code: r.status ?? 128, out: readFileSync(o, 'utf8'), err: readFileSync(e, 'utf8') };
  };
  /** Starts a long-running command (events): its output lines as they come, and a way to end it. */
  const background = (args: string[]) => {
    const child = spawn(process.execPath, [ociBin, '--root', root, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: bundle, env: ociEnv });
    const lines: string[] = [];
    let buf = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) lines.push(buf.slice(0, nl)), (buf = buf.slice(nl + 1));
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exit = new Promise<number>((res) => child.on('close', (code, sig) => res(code ?? 128 + (sig ? 9 : 0))));
    t.teardown(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    return { lines, exit, stderr: () => err, kill: () => child.kill('SIGTERM') };
  };
  const config = (edit: (c: Record<string, any>) => void): void => {
    const p = join(bundle, 'config.json');
    const c = JSON.parse(readFileSync(p, 'utf8')) as Record<string, any>;
    edit(c);
    writeFileSync(p, JSON.stringify(c));
  };
  const state = (id: string): Record<string, unknown> | null => {
    const r = cli(['state', id]);
    return r.code === 0 ? (JSON.parse(r.out) as Record<string, unknown>) : null;
  };
  const waitFor = async (what: string, f: () => boolean): Promise<void> => {
    for (let i = 0; i < 3000; i++) {
      if (f()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  t.teardown(() => {
    // Nothing may be left: no sentry, no state.
    for (const id of existsSync(root) ? readdirSync(root) : []) cli(['delete', '--force', id]);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, bundle, root, cli, background, config, state, waitFor };
}
