// The process the fuzz harness (test/fuzz/harness.ts) watches: one Sandbox,
// in-process, running the fuzzer's supervisor. It forwards the guest's
// well-formed stdout lines as they come (a sentry stuck in a handler blocks
// this event loop too, so the harness then hears nothing), samples its own
// memory, and reports its host fds before and after the run on its last line:
//   REPORT {json}
import { closeSync, mkdtempSync, openSync, readdirSync, readlinkSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../../src/index.js';
import { fcntl, pipe2, pread } from '../../src/platform/host.js';

const O_CLOEXEC = 0o2000000;
const O_NONBLOCK = 0o4000;
const F_SETFL = 4;
import type { InnerReport, Isolation } from './harness.js';

interface Args {
  rootfs: string;
  isolation: Isolation;
  argv: string[];
  env: Record<string, string>;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;

function fds(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.push(`${fd}:${readlinkSync(`/proc/self/fd/${fd}`)}`);
    } catch {
      // the directory's own fd, closed by now
    }
  }
  return out.sort();
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function quietRun(argv: string[]): Promise<void> {
  const nul = openSync('/dev/null', 'r+');
  try {
    await new Sandbox({ rootfs: args.rootfs, isolation: args.isolation, stdio: [nul, nul, nul], log: () => {} }).run(argv);
  } finally {
    closeSync(nul);
  }
}

async function main(): Promise<void> {
  // Warm up (the addon, the loader, the modules, Node's own stdio streams,
  // which open /dev/null on first use, and the sentry's process-wide O_PATH
  // placeholder) so that what stays open afterwards is the process's own,
  // then take the baseline.
  process.stdout.write('inner: warming up\n');
  process.stderr.write('');
  await quietRun(['/fuzz', '--replay', '1', '0']);
  await quietRun(['/fuzz', '--warm']);
  gc();
  await sleep(100);
  const fdsBefore = fds();
  const rssBeforeMb = rssMb();

  // The guest's stdout is a pipe: a worker may open its supervisor's stdout
  // (/proc/1/fd/1) and truncate or scribble over a file at any offset, but
  // can only add bytes to a pipe. Our end reads without blocking.
  const dir = mkdtempSync(join(tmpdir(), 'tsv-fuzz-io-'));
  const nul = openSync('/dev/null', 'r');
  const p = pipe2(O_CLOEXEC);
  if (typeof p === 'number') throw new Error(`pipe2: ${p}`);
  const [outR, out] = p;
  fcntl(outR, F_SETFL, O_NONBLOCK);
  const err = openSync(join(dir, 'err'), 'w+');
  const log: string[] = [];
  const sb = new Sandbox({
    rootfs: args.rootfs,
    isolation: args.isolation,
    stdio: [nul, out, err],
    env: args.env,
    stats: true,
    log: (l) => {
      if (log.length < 1000) log.push(l);
      process.stderr.write(l + '\n');
    },
  });
  let rssMaxMb = rssBeforeMb;
  let errPos = 0;
  let pending = '';
  const chunk = Buffer.alloc(1 << 16);
  const pump = () => {
    for (;;) {
      const n = pread(outR, chunk, 0, chunk.length, -1);
      if (n <= 0) break;
      pending += chunk.toString('latin1', 0, n);
    }
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) if (/alive t=|fuzz /.test(l)) process.stdout.write(l.slice(-400) + '\n');
    if (pending.length > 1 << 16) pending = pending.slice(-4096);
    if (args.env.FUZZ_VERBOSE) {
      for (;;) {
        const n = readSync(err, chunk, 0, chunk.length, errPos);
        if (n <= 0) break;
        errPos += n;
        process.stderr.write(chunk.subarray(0, n));
      }
    }
    rssMaxMb = Math.max(rssMaxMb, rssMb());
  };
  const timer = setInterval(pump, 250);
  let code = -1;
  let signal = 0;
  let error: string | undefined;
  try {
    const r = await sb.run(args.argv);
    code = r.code;
    signal = r.signal;
    error = r.error;
  } catch (e) {
    error = String((e as Error)?.stack ?? e);
  }
  clearInterval(timer);
  pump();
  if (pending) process.stdout.write(pending.slice(-400) + '\n');
  const continued: Record<string, number> = {};
  for (const row of sb.continued()) continued[row.name] = row.count;
  for (const fd of [nul, out, outR, err]) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  gc();
  await sleep(200);
  gc();
  const report: InnerReport = {
    code,
    signal,
    error,
    fdsBefore,
    fdsAfter: fds(),
    rssBeforeMb,
    rssMaxMb,
    rssAfterMb: rssMb(),
    heapAfterMb: process.memoryUsage().heapUsed / 2 ** 20,
    log,
    continued,
  };
  process.stdout.write('REPORT ' + JSON.stringify(report) + '\n');
}

main().catch((e) => {
  process.stderr.write(`fuzz inner: ${(e as Error)?.stack ?? e}\n`);
  process.exit(2);
});
