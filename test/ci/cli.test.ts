// `tsvisor ci run` as a command: plain output when not a terminal, exit
// codes, reports, errors naming line and field, Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { makeCheckout } from './lib.js';

const BIN = join(process.cwd(), 'bin', 'run.js');

function ci(dir: string, args: string[]) {
  return spawnSync(process.execPath, [BIN, 'ci', 'run', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '' } });
}

t.test('plain output, summary, reports and exit status', async (t) => {
  const ws = makeCheckout({ 'a.txt': 'a\n' });
  t.teardown(ws.cleanup);
  mkdirSync(join(ws.dir, '.tsvisor'), { recursive: true });
  writeFileSync(join(ws.dir, '.tsvisor', 'ci.yml'), 'jobs:\n  ok:\n    steps:\n      - run: echo fine\n  bad:\n    steps:\n      - name: breaks\n        run: exit 4\n');
  const r = ci(ws.dir, ['--report', 'json:out/r.json', '--report', 'junit:out/r.xml', '-e', 'X=1']);
  t.equal(r.status, 1, r.stderr);
  t.match(r.stdout, '[ok] fine');
  t.match(r.stdout, '[bad] ✗ 1. breaks: failure — exit code 4');
  t.match(r.stdout, /✗ bad\s+failure/);
  t.match(r.stdout, 'failed: 1/2 jobs passed');
  t.notMatch(r.stdout, '\x1b[', 'no terminal control when not a terminal');
  const json = JSON.parse(readFileSync(join(ws.dir, 'out', 'r.json'), 'utf8'));
  t.equal(json.exitCode, 1);
  t.ok(existsSync(join(ws.dir, 'out', 'r.xml')));
  const only = ci(ws.dir, ['--job', 'ok']);
  t.equal(only.status, 0, 'only the passing job');
});

t.test('an invalid file: exit 2 and every problem with line and field', async (t) => {
  const ws = makeCheckout({});
  t.teardown(ws.cleanup);
  writeFileSync(join(ws.dir, 'p.yml'), 'jobs:\n  a:\n    needs: zz\n    steps:\n      - run: x\n        timeout-minutes: -1\n');
  const r = ci(ws.dir, ['p.yml']);
  t.equal(r.status, 2);
  t.match(r.stderr, 'p.yml:2:3: jobs.a.needs: unknown job "zz"');
  t.match(r.stderr, 'p.yml:6:26: jobs.a.steps[0].timeout-minutes: must be a positive number');
  const missing = ci(ws.dir, ['nope.yml']);
  t.equal(missing.status, 2);
  t.match(missing.stderr, 'nope.yml: no such pipeline file');
});

t.test('SIGINT cancels the run and still writes the report', async (t) => {
  const ws = makeCheckout({});
  t.teardown(ws.cleanup);
  writeFileSync(join(ws.dir, 'p.yml'), 'jobs:\n  a:\n    steps:\n      - run: echo ready; sleep 981\n');
  const p = spawn(process.execPath, [BIN, 'ci', 'run', 'p.yml', '--report', 'json:r.json'], { cwd: ws.dir, env: { ...process.env, CI: 'true' } });
  let out = '';
  let sent = false;
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (!sent && out.includes('[a] ready')) {
      sent = true;
      p.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
  t.equal(code, 130);
  t.match(out, /⊘ a\s+cancelled/);
  const json = JSON.parse(readFileSync(join(ws.dir, 'r.json'), 'utf8'));
  t.equal(json.cancelled, true);
  t.equal(json.jobs[0].status, 'cancelled');
});
