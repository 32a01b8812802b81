// The host side of a job's workspace: the checkout's identity (git), the
// files a step leaves in $GITHUB_ENV / $GITHUB_OUTPUT / $GITHUB_PATH, and
// hashFiles() over the checkout.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The top of the checkout holding `file`: the nearest directory with `.git`, else the file's own directory. */
export function findWorkspace(file: string): string {
  let d = dirname(resolve(file));
  for (;;) {
    if (existsSync(join(d, '.git'))) return d;
    const up = dirname(d);
    if (up === d) return dirname(resolve(file));
    d = up;
  }
}

export interface GitInfo {
  sha: string;
  ref: string;
  repository: string;
}

export function gitInfo(ws: string): GitInfo {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: ws, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const sha = git('rev-parse', 'HEAD');
  const ref = git('symbolic-ref', '-q', 'HEAD');
  const url = git('remote', 'get-url', 'origin');
  const m = /[:/]([^/:]+\/[^/]+?)(?:\.git)?$/.exec(url);
  return { sha: sha || '0'.repeat(40), ref: ref || 'refs/heads/main', repository: m ? m[1]! : `local/${ws.split('/').pop()}` };
}

/**
 * Reads a file a guest wrote (it may have replaced it with a symlink to
 * anything: never followed), at most `max` bytes.
 */
export function readGuestFile(path: string, max = 1 << 20): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return '';
  }
  try {
    if (!fstatSync(fd).isFile()) return '';
    const buf = Buffer.alloc(max);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, max - n, null);
      if (r <= 0 || n + r >= max) {
        n += Math.max(r, 0);
        break;
      }
      n += r;
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** `NAME=value` lines and `NAME<<DELIM` ... `DELIM` blocks (GITHUB_ENV, GITHUB_OUTPUT). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!line.trim()) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    const eq = line.indexOf('=');
    if (heredoc && (eq < 0 || eq > line.indexOf('<<'))) {
      const delim = heredoc[2]!;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i]!.replace(/\r$/, '') !== delim; i++) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

function globToRegExp(g: string): RegExp {
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      i++;
      if (g[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const SKIP = new Set(['.git', '.tsvisor']);

/** Workspace-relative files matching the patterns (`*`, `?`, `**`), sorted. */
export function globFiles(ws: string, patterns: string[]): string[] {
  const found = new Set<string>();
  const globs: RegExp[] = [];
  for (const p of patterns) {
    const rel = p.replace(/^\.\//, '');
    if (!/[*?]/.test(rel)) {
      try {
        if (statSync(join(ws, rel)).isFile()) found.add(rel);
      } catch {
        // no such file
      }
    } else globs.push(globToRegExp(rel));
  }
  if (globs.length) {
    const stack = [ws];
    while (stack.length) {
      const d = stack.pop()!;
      let ents;
      try {
        ents = readdirSync(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of ents) {
        if (SKIP.has(e.name) || (e.name === 'node_modules' && !patterns.some((p) => p.includes('node_modules')))) continue;
        const p = join(d, e.name);
        if (e.isDirectory()) stack.push(p);
        else if (e.isFile()) {
          const rel = relative(ws, p);
          if (globs.some((g) => g.test(rel))) found.add(rel);
        }
      }
    }
  }
  return [...found].sort();
}

/** hashFiles(): sha256 over the sha256 of each matching file ('' when none match), as GitHub computes it. */
export function hashFiles(ws: string, patterns: string[]): string {
  const files = globFiles(ws, patterns);
  if (!files.length) return '';
  const h = createHash('sha256');
  for (const f of files) h.update(createHash('sha256').update(readFileSync(join(ws, f))).digest());
  return h.digest('hex');
}
