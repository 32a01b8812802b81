// Pipelines end to end, each job in real sandboxes: one that passes, one that
// fails, one that times out, one over its memory limit, one that writes into
// the checkout, one that tries the network, a matrix, a cancelled run. Each
// checks the exit code, the reports and that the host checkout is unchanged.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { makeCheckout, processesWith, run } from './lib.js';

const FILES = { 'file.txt': 'hello\n', 'keep.txt': 'keep\n', 'sub/data.txt': 'data\n' };

t.test('a passing pipeline: needs, env, outputs, working-directory, logs and reports', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(
    ws,
    `name: passing
env:
  GREETING: hello
jobs:
  build:
    outputs:
      version: \${{ steps.v.outputs.version }}
    steps:
      - name: version
        id: v
        run: |
          echo "version=1.2.3" >> "$GITHUB_OUTPUT"
          echo "FROM_ENV_FILE=yes" >> "$GITHUB_ENV"
      - name: greet
        run: echo "$GREETING from $(pwd) env=$FROM_ENV_FILE v=\${{ steps.v.outputs.version }}"
        working-directory: sub
  test:
    needs: build
    env:
      V: \${{ needs.build.outputs.version }}
    steps:
      - name: check
        run: test "$V" = 1.2.3 && cat sub/data.txt && echo "CI=$CI"
`,
  );
  t.equal(c.result.exitCode, 0);
  t.equal(c.result.ok, true);
  t.match(c.out('build'), `hello from ${join(ws.dir, 'sub')} env=yes v=1.2.3`);
  t.match(c.out('test'), 'data\nCI=true');
  t.same(
    c.json.jobs.map((j) => [j.name, j.status]),
    [['build', 'success'], ['test', 'success']],
  );
  t.same(c.json.jobs[0]!.outputs, { version: '1.2.3' });
  t.match(c.junit, /<testsuite name="build" tests="2" failures="0"/);
  t.match(c.junit, /<testcase classname="test" name="1\. check"/);
  const log = join(c.result.logDir, 'build', '02-greet.log');
  t.match(readFileSync(log, 'utf8'), 'hello from');
  t.equal(ws.fingerprint(), before, 'host checkout unchanged');
});

t.test('a failing step fails its job, skips what follows unless if: failure()/always(), and its dependants', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(
    ws,
    `jobs:
  a:
    steps:
      - run: echo one
      - name: breaks
        run: exit 3
      - name: not run
        run: echo never
      - name: on failure
        if: failure()
        run: echo cleanup
      - name: soft
        if: always()
        run: exit 1
        continue-on-error: true
  b:
    needs: a
    steps:
      - run: echo b
  c:
    needs: a
    if: always()
    steps:
      - run: echo c ran
`,
  );
  t.equal(c.result.exitCode, 1);
  const [a, b, cc] = c.json.jobs;
  t.equal(a!.status, 'failure');
  t.match(a!.reason, 'step "breaks" failed: exit code 3');
  t.same(
    a!.steps.map((s) => [s.name, s.outcome, s.conclusion]),
    [
      ['Run echo one', 'success', 'success'],
      ['breaks', 'failure', 'failure'],
      ['not run', 'skipped', 'skipped'],
      ['on failure', 'success', 'success'],
      ['soft', 'failure', 'success'],
    ],
  );
  t.equal(a!.steps[1]!.exitCode, 3);
  t.equal(b!.status, 'skipped');
  t.equal(cc!.status, 'success');
  t.match(c.out('c'), 'c ran');
  t.notMatch(c.out('a'), 'never');
  t.match(c.junit, /<failure message="exit code 3">/);
  t.match(c.junit, /<skipped message="an earlier step failed"\/>/);
  t.equal(ws.fingerprint(), before);
});

t.test('a step over its time is killed with all its processes', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(
    ws,
    `jobs:
  slow:
    steps:
      - name: sleeps
        timeout-minutes: 0.03
        run: |
          sleep 977 &
          echo started
          sleep 978
      - name: after
        run: echo not reached
`,
  );
  t.equal(c.result.exitCode, 1);
  const j = c.json.jobs[0]!;
  t.equal(j.status, 'failure');
  t.match(j.steps[0]!.reason, /^timed out after 1\.8 s \(step timeout-minutes\)$/);
  t.equal(j.steps[1]!.outcome, 'skipped');
  t.match(c.out('slow'), 'started');
  t.match(c.junit, /<failure message="timed out after/);
  t.same(processesWith('sleep 977'), [], 'the background process is gone too');
  t.same(processesWith('sleep 978'), []);
  t.equal(ws.fingerprint(), before);
});

t.test('the job timeout ends the job', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const c = await run(ws, `jobs:\n  slow:\n    timeout-minutes: 0.03\n    steps:\n      - run: sleep 60\n      - run: echo later\n`);
  t.equal(c.result.exitCode, 1);
  t.match(c.json.jobs[0]!.steps[0]!.reason, /timed out after .* \(job timeout-minutes\)/);
  t.equal(c.json.jobs[0]!.steps[1]!.outcome, 'cancelled');
});

t.test('a job over its memory limit is killed; the process limit refuses forks', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(
    ws,
    `jobs:
  hungry:
    timeout-minutes: 2
    limits: { memory: 64M, processes: 8 }
    steps:
      - name: forks
        continue-on-error: true
        run: for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 1 & done; wait
      - name: eats
        run: /usr/bin/python3 -c "s = 'a' * (300 << 20); print('allocated', flush=True); import time; time.sleep(60)"
`,
  );
  t.equal(c.result.exitCode, 1);
  const j = c.json.jobs[0]!;
  t.equal(j.steps[0]!.outcome, 'failure', 'fork refused beyond 8 tasks');
  t.match(c.out('hungry'), /Cannot fork|Resource temporarily unavailable/);
  t.match(j.steps[1]!.reason, /^memory limit exceeded: \d+ MiB resident, limit 64 MiB$/);
  t.match(c.junit, /memory limit exceeded/);
  t.equal(ws.fingerprint(), before);
});

t.test('writes into the checkout stay in the job; other jobs and the host never see them', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(
    ws,
    `jobs:
  vandal:
    steps:
      - run: |
          echo changed > file.txt
          rm keep.txt
          mkdir -p newdir && echo x > newdir/x
          chmod 600 sub/data.txt
          echo more >> "${ws.dir}/sub/data.txt"
          ln -s /etc/passwd link
      - name: sees its own changes
        run: grep -q changed file.txt && test ! -e keep.txt && test -e newdir/x
  other:
    needs: vandal
    steps:
      - name: sees the original
        run: grep -q hello file.txt && test -e keep.txt && test ! -e newdir && test "$(cat sub/data.txt)" = data
`,
  );
  t.equal(c.result.exitCode, 0, c.lines.join('\n'));
  t.equal(ws.fingerprint(), before, 'host checkout unchanged');
  t.equal(readFileSync(join(ws.dir, 'file.txt'), 'utf8'), 'hello\n');
});

t.test('network none: no connection leaves the sandbox; host + allow-net reaches only what it names', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  // A server on the host's loopback: the sandbox's 127.0.0.1 is its own.
  const server = createServer((s) => s.end('banner from the host\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const client = (host: string) => `/usr/bin/python3 -c "import socket; s = socket.create_connection(('${host}', ${port}), timeout=5); print(s.recv(100).decode().strip())"`;
  const c = await run(
    ws,
    `jobs:
  none:
    steps:
      - name: outside
        run: |
          if /usr/bin/python3 -c "import socket; socket.create_connection(('1.1.1.1', 53), timeout=5)"; then echo REACHED; exit 1; fi
          echo no network
      - name: host loopback
        run: |
          if ${client('127.0.0.1')}; then echo REACHED; exit 1; fi
          echo no host loopback
      - name: connect and fail
        run: ${client('127.0.0.1')}
  allowed:
    network: host
    allow-net: [127.0.0.1:${port}]
    steps:
      - run: ${client('127.0.0.1')}
      - name: not allowed
        run: |
          if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port + 1 === 65536 ? 1 : port + 1}), timeout=5)"; then echo REACHED; exit 1; fi
          echo denied
`,
  );
  t.equal(c.result.exitCode, 1);
  t.match(c.out('none'), 'no network');
  t.match(c.out('none'), 'no host loopback');
  t.notMatch(c.out('none'), /REACHED|banner/);
  t.same(
    c.json.jobs[0]!.steps.map((s) => s.outcome),
    ['success', 'success', 'failure'],
  );
  t.equal(c.json.jobs[1]!.status, 'success', c.out('allowed'));
  t.match(c.out('allowed'), 'banner from the host');
  t.match(c.out('allowed'), 'denied');
  t.match(c.junit, /<testsuite name="none" tests="3" failures="1"/);
  t.equal(ws.fingerprint(), before);
});

t.test('a matrix runs every combination, named by its values', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(
    ws,
    `jobs:
  m:
    strategy:
      matrix:
        n: [1, 2]
        s: [x, y]
        exclude:
          - n: 2
            s: y
        include:
          - n: 1
            extra: yes
          - n: 3
            s: z
    steps:
      - run: echo "n=\${{ matrix.n }} s=\${{ matrix.s }} extra=\${{ matrix.extra }}"
  after:
    needs: m
    steps:
      - run: echo "m was \${{ needs.m.result }}"
`,
  );
  t.equal(c.result.exitCode, 0);
  t.same(
    c.json.jobs.map((j) => j.name),
    ['m (1, x, yes)', 'm (1, y, yes)', 'm (2, x)', 'm (3, z)', 'after'],
  );
  t.match(c.out('m (1, y, yes)'), 'n=1 s=y extra=yes');
  t.match(c.out('m (3, z)'), 'n=3 s=z extra=');
  t.match(c.out('after'), 'm was success');
  t.same(c.json.jobs[3]!.matrix, { n: 3, s: 'z' });
  t.ok(existsSync(join(c.result.logDir, 'm-1-x-yes')));
  t.match(c.junit, /<testsuite name="m \(2, x\)"/);
  t.equal(ws.fingerprint(), before);
});

t.test('cancelling a run kills its sandboxes and still writes the reports', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const ctl = new AbortController();
  const c = await run(ws, `jobs:\n  a:\n    steps:\n      - run: echo ready; sleep 979\n  b:\n    needs: a\n    steps:\n      - run: echo b\n`, {
    signal: ctl.signal,
    reporter: { output: (_j, _i, l) => void (l === 'ready' && ctl.abort()) },
  });
  t.equal(c.result.exitCode, 130);
  t.equal(c.result.cancelled, true);
  t.same(
    c.json.jobs.map((j) => j.status),
    ['cancelled', 'cancelled'],
  );
  t.same(processesWith('sleep 979'), []);
  t.match(c.junit, /<skipped message="cancelled"\/>/);
});

t.test('artifacts are copied out of the job', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(ws, `jobs:\n  a:\n    artifacts: [out/*.txt, missing.bin]\n    steps:\n      - run: mkdir out && echo built > out/a.txt && echo no > out/b.log\n`);
  t.equal(c.result.exitCode, 0);
  const dir = c.json.jobs[0]!.artifacts!;
  t.same(readdirSync(join(dir, 'out')), ['a.txt']);
  t.equal(readFileSync(join(dir, 'out', 'a.txt'), 'utf8'), 'built\n');
  t.match(readFileSync(join(c.result.logDir, 'a', '99-artifacts.log'), 'utf8'), 'nothing matches missing.bin');
  t.equal(ws.fingerprint(), before);
});

t.test('a cache is saved after a successful job and restored by the next run', async (t) => {
  const ws = makeCheckout({ ...FILES, 'lock.txt': 'v1\n' });
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const pipeline = `jobs:
  a:
    cache: { paths: [deps], key: deps, hash-files: [lock.txt] }
    steps:
      - run: if [ -e deps/x ]; then echo "HIT $(cat deps/x)"; else echo MISS; mkdir deps; echo saved > deps/x; fi
`;
  const one = await run(ws, pipeline);
  t.equal(one.result.exitCode, 0);
  t.match(one.out('a'), 'MISS');
  const two = await run(ws, pipeline);
  t.equal(two.result.exitCode, 0);
  t.match(two.out('a'), 'HIT saved');
  t.match(readFileSync(join(two.result.logDir, 'a', '00-cache-restore.log'), 'utf8'), /cache key deps-[0-9a-f]{16}: hit/);
  t.equal(ws.fingerprint(), before, 'restored into the job, not the checkout');
});

t.test('runs-in rootfs or layers: the checkout is there read-only', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const step = `    steps:\n      - run: cat file.txt; if echo x > file.txt; then exit 1; fi; echo read-only; echo y > /tmp/t && cat /tmp/t\n`;
  const c = await run(ws, `jobs:\n  r:\n    runs-in: { rootfs: / }\n${step}  l:\n    runs-in: { layers: [/] }\n${step}`);
  t.equal(c.result.exitCode, 0, c.lines.join('\n'));
  t.match(c.out('r'), /hello\n.*Read-only file system\nread-only\ny/s);
  t.match(c.out('l'), /hello\n.*Read-only file system\nread-only\ny/s);
  t.equal(ws.fingerprint(), before);
});

t.test('a job over its disk limit is killed', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(
    ws,
    `jobs:
  big:
    timeout-minutes: 2
    limits: { disk: 8M }
    steps:
      - name: small
        run: head -c 1000000 /dev/zero > small.bin
      - name: writes
        run: head -c 50000000 /dev/zero > big.bin; echo written; sleep 60
`,
  );
  t.equal(c.result.exitCode, 1);
  const j = c.json.jobs[0]!;
  t.equal(j.steps[0]!.outcome, 'success');
  t.match(j.steps[1]!.reason, /^disk limit exceeded: \d+ MiB written, limit 8 MiB$/);
  t.equal(ws.fingerprint(), before);
});

t.test('--fail-fast cancels the other jobs; job continue-on-error keeps the run green', async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const ff = await run(ws, `jobs:\n  bad:\n    steps:\n      - run: exit 1\n  slow:\n    steps:\n      - run: echo ready; sleep 982\n`, {
    failFast: true,
    jobs: 1,
  });
  t.equal(ff.result.exitCode, 1);
  t.same(
    ff.json.jobs.map((j) => j.status),
    ['failure', 'cancelled'],
  );
  const coe = await run(ws, `jobs:\n  flaky:\n    continue-on-error: true\n    steps:\n      - run: exit 1\n  after:\n    needs: flaky\n    steps:\n      - run: echo after ran\n`);
  t.equal(coe.result.exitCode, 0);
  t.equal(coe.json.jobs[0]!.status, 'success');
  t.match(coe.json.jobs[0]!.reason, /continue-on-error/);
  t.match(coe.out('after'), 'after ran');
});

t.test("a job sees neither other jobs' logs nor the runner's directories", async (t) => {
  const ws = makeCheckout(FILES);
  t.teardown(ws.cleanup);
  const c = await run(
    ws,
    `jobs:
  a:
    steps:
      - run: echo secret-of-a
  b:
    needs: a
    steps:
      - run: ls -A .tsvisor/logs | wc -l; ls -A .tsvisor/logs/*/a 2>&1 || true; cat .tsvisor/logs/*/a/* 2>&1 || true; touch .tsvisor/logs/x 2>&1 || true
`,
  );
  t.equal(c.result.exitCode, 0);
  t.match(c.out('b'), /^0\n/);
  t.notMatch(c.out('b'), 'secret-of-a');
  t.match(c.out('b'), 'Read-only file system');
  t.match(readFileSync(join(c.result.logDir, 'a', '01-Run-echo-secret-of-a.log'), 'utf8'), 'secret-of-a');
});
