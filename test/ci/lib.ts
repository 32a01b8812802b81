// Helpers of the CI runner's tests: a throwaway checkout (outside /tmp: each
// job's /tmp is its own), a fingerprint of it, and a run that collects what
// the reporter was told.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { type CiReporter, type PipelineResult, runPipeline, type RunPipelineOptions } from '../../src/index.js';

const ROOT = join(process.cwd(), '.tap', 'ci-work');

export interface Checkout {
  dir: string;
  /** Every path (except .tsvisor/) with its type, mode and content hash. */
  fingerprint(): string;
  cleanup(): void;
}

export function makeCheckout(files: Record<string, string>): Checkout {
  mkdirSync(ROOT, { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'ws-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  const fingerprint = (): string => {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const n of readdirSync(d).sort()) {
        const p = join(d, n);
        const rel = relative(dir, p);
        if (rel === '.tsvisor') continue;
        const st = lstatSync(p);
        let what = `${rel} ${st.mode.toString(8)}`;
        if (st.isDirectory()) {
          out.push(what);
          walk(p);
          continue;
        }
        if (st.isSymbolicLink()) what += ` -> ${readlinkSync(p)}`;
        else what += ` ${createHash('sha1').update(readFileSync(p)).digest('hex')}`;
        out.push(what);
      }
    };
    walk(dir);
    return out.join('\n');
  };
  return { dir, fingerprint, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Collected {
  result: PipelineResult;
  lines: string[];
  /** Output lines of a job. */
  out(job: string): string;
  junit: string;
  json: PipelineResult;
}

export async function run(ws: Checkout, pipeline: string, opts: Partial<RunPipelineOptions> & { name?: string } = {}): Promise<Collected> {
  const file = join(ws.dir, '.tsvisor', opts.name ?? 'ci.yml');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, pipeline);
  const lines: string[] = [];
  const byJob = new Map<string, string[]>();
  const reporter: CiReporter = {
    output: (j, _i, l) => {
      lines.push(`[${j.name}] ${l}`);
      if (!byJob.has(j.name)) byJob.set(j.name, []);
      byJob.get(j.name)!.push(l);
    },
    ...opts.reporter,
  };
  const junitFile = join(ws.dir, '.tsvisor', 'report.xml');
  const jsonFile = join(ws.dir, '.tsvisor', 'report.json');
  const result = await runPipeline({ file, workspace: ws.dir, cwd: ws.dir, reports: [`junit:${junitFile}`, `json:${jsonFile}`], jobs: 2, ...opts, reporter });
  return {
    result,
    lines,
    out: (job) => (byJob.get(job) ?? []).join('\n'),
    junit: readFileSync(junitFile, 'utf8'),
    json: JSON.parse(readFileSync(jsonFile, 'utf8')) as PipelineResult,
  };
}

/** Host processes whose command line contains `needle` (the guests of a job that should be gone). */
export function processesWith(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'latin1').split('\0').join(' ').includes(needle)) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}
