// A GitHub Actions workflow (test/ci/fixtures/workflow.yml) runs as it would
// on GitHub; unsupported actions fail their job unless --skip-unsupported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { makeCheckout, run } from './lib.js';

const WORKFLOW = readFileSync(join(process.cwd(), 'test', 'ci', 'fixtures', 'workflow.yml'), 'utf8');

t.test('the fixture workflow: run steps, env, matrix, needs, outputs, GITHUB_* files', async (t) => {
  const ws = makeCheckout({ 'README.txt': 'readme\n', '.github/workflows/ci.yml': WORKFLOW });
  t.teardown(ws.cleanup);
  const before = ws.fingerprint();
  const c = await run(ws, WORKFLOW, { name: '../.github/workflows/ci.yml' });
  t.equal(c.result.kind, 'github');
  t.equal(c.result.exitCode, 0, c.lines.join('\n'));
  t.same(
    c.json.jobs.map((j) => [j.name, j.status]),
    [
      ['prepare', 'success'],
      ['test on ubuntu-latest with 18', 'success'],
      ['test on ubuntu-latest with 20', 'success'],
      ['report', 'success'],
    ],
  );
  const prep = c.out('prepare');
  t.match(prep, 'tool ran');
  t.match(prep, 'FROM_STEP=set by a step');
  t.match(prep, `workspace=${ws.dir} job=prepare event=push actions=true`);
  t.match(prep, 'built in — the workspace is the checkout');
  t.match(c.out('test on ubuntu-latest with 18'), 'workflow job-18 step hello from prepare');
  t.match(c.out('test on ubuntu-latest with 18'), 'latest=false');
  t.match(c.out('test on ubuntu-latest with 20'), 'latest=true');
  t.match(c.out('test on ubuntu-latest with 20'), 'runs on 20 only');
  t.notMatch(c.out('test on ubuntu-latest with 18'), 'runs on 20 only');
  t.match(c.out('test on ubuntu-latest with 18'), 'python sees job-18');
  t.equal(c.json.jobs[1]!.steps[1]!.name, 'Test on 18', 'step names are interpolated');
  t.match(c.out('report'), 'results success success');
  t.equal(readFileSync(join(c.result.logDir, 'prepare', 'summary.md'), 'utf8'), '### prepared\n');
  t.equal(ws.fingerprint(), before);
});

const UNSUPPORTED = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Setup node
        uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: echo built
`;

t.test('an unsupported action fails its job, naming the step', async (t) => {
  const ws = makeCheckout({});
  t.teardown(ws.cleanup);
  const c = await run(ws, UNSUPPORTED, { name: 'wf.yml' });
  t.equal(c.result.exitCode, 1);
  const j = c.json.jobs[0]!;
  t.equal(j.status, 'failure');
  t.equal(j.steps[1]!.reason, 'unsupported action "actions/setup-node@v4" in step "Setup node"');
  t.equal(j.steps[2]!.outcome, 'skipped');
  t.match(c.junit, /unsupported action &quot;actions\/setup-node@v4&quot;/);
});

t.test('--skip-unsupported skips it, and says so', async (t) => {
  const ws = makeCheckout({});
  t.teardown(ws.cleanup);
  const c = await run(ws, UNSUPPORTED, { name: 'wf.yml', skipUnsupported: true });
  t.equal(c.result.exitCode, 0);
  const j = c.json.jobs[0]!;
  t.equal(j.steps[1]!.outcome, 'skipped');
  t.match(j.steps[1]!.reason, /unsupported action .* \(--skip-unsupported\)/);
  t.match(c.out('build'), 'built');
});
