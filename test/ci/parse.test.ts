// Pipeline files and workflows: the model they give, and errors that name line and field.
import t from 'tap';
import { PipelineError, parsePipeline, parseSize } from '../../src/ci/index.js';

function problems(text: string, file = 'ci.yml'): string[] {
  try {
    parsePipeline(text, file);
  } catch (e) {
    if (e instanceof PipelineError) return e.message.split('\n');
    throw e;
  }
  return [];
}

t.test('a pipeline file gives jobs, steps and their settings', async (t) => {
  const p = parsePipeline(
    `name: demo
env:
  A: 1
jobs:
  build:
    runs-in: host
    timeout-minutes: 5
    limits: { memory: 256M, processes: 50, disk: 1G }
    steps:
      - name: make
        run: make
        shell: bash
        working-directory: sub
        continue-on-error: true
        timeout-minutes: 2
  test:
    needs: build
    if: \${{ success() }}
    strategy:
      fail-fast: false
      matrix:
        node: [18, 20]
    steps:
      - run: npm test
`,
    'ci.yml',
  );
  t.equal(p.kind, 'pipeline');
  t.same(p.env, { A: '1' });
  t.equal(p.jobs.length, 2);
  const [b, te] = p.jobs;
  t.equal(b!.timeoutMinutes, 5);
  t.same(b!.limits, { memory: 256 * 1024 ** 2, processes: 50, disk: 1024 ** 3 });
  t.equal(b!.steps[0]!.shell, 'bash');
  t.equal(b!.steps[0]!.workingDirectory, 'sub');
  t.equal(b!.steps[0]!.continueOnError, true);
  t.equal(b!.steps[0]!.loc.line, 10);
  t.same(te!.needs, ['build']);
  t.equal(te!.failFast, false);
  t.same(te!.matrix!.axes, { node: [18, 20] });
  t.equal(te!.timeoutMinutes, 360, 'GitHub default');
});

t.test('a workflow is recognised by its "on" and accepts uses/runs-on', async (t) => {
  const p = parsePipeline(
    `on: [push]
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo hi
`,
    'wf.yml',
  );
  t.equal(p.kind, 'github');
  t.equal(p.jobs[0]!.steps[0]!.uses, 'actions/checkout@v4');
  t.equal(p.jobs[0]!.steps[1]!.shell, undefined, 'default shell chosen at run time (bash for workflows)');
});

t.test('errors name the line, column and field', async (t) => {
  t.match(problems('jobs:\n  a:\n    stepz: []\n'), ['ci.yml:2:3: jobs.a.steps: missing: a job needs at least one step', /^ci\.yml:3:5: jobs\.a\.stepz: unknown field \(expected one of: name, needs, /]);
  t.match(problems('jobs:\n  a:\n    steps:\n      - run: x\n        timeout-minutes: soon\n'), [/^ci\.yml:5:26: jobs\.a\.steps\[0\]\.timeout-minutes: must be a positive number$/]);
  t.match(problems('jobs:\n  a:\n    needs: [b]\n    steps: [{run: x}]\n'), [/ci\.yml:2:3: jobs\.a\.needs: unknown job "b"/]);
  t.match(problems('jobs:\n  a:\n    needs: b\n    steps: [{run: x}]\n  b:\n    needs: a\n    steps: [{run: x}]\n'), [/jobs\.a\.needs: dependency cycle: a → b → a/]);
  t.match(problems('jobs:\n  a:\n    if: success( &&\n    steps: [{run: x}]\n'), [/ci\.yml:3:9: jobs\.a\.if: invalid expression/]);
  t.match(problems('jobs:\n  a:\n    steps:\n      - run: echo ${{ matrix.x\n'), [/ci\.yml:4:14: jobs\.a\.steps\[0\]\.run: invalid expression: unterminated/]);
  t.match(problems('jobs:\n  a:\n    network: bridge\n    steps: [{run: x}]\n'), [/jobs\.a\.network: "bridge": must be "none" \(the default\) or "host"/]);
  t.match(problems('jobs:\n  a:\n    allow-net: [example.com:443]\n    steps: [{run: x}]\n'), [/ci\.yml:3:16: jobs\.a\.allow-net: needs "network: host"/]);
  t.match(problems('jobs:\n  a:\n    limits: {memory: lots}\n    steps: [{run: x}]\n'), [/ci\.yml:3:22: jobs\.a\.limits\.memory: must be a size/]);
  t.match(problems('jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n'), [/jobs\.a\.steps\[0\]\.uses: actions are only available in GitHub workflows/]);
  t.match(problems('jobs:\n  a:\n    steps:\n      - shell: fish\n        run: x\n'), [/ci\.yml:4:16: jobs\.a\.steps\[0\]\.shell: unsupported shell "fish"/]);
  t.match(problems('on: push\njobs:\n  a:\n    runs-on: x\n    container: node:20\n    steps: [{run: x}]\n', 'wf.yml'), [/wf\.yml:5:5: jobs\.a\.container: jobs in a container image are not supported/]);
  t.match(problems('jobs: [\n'), [/ci\.yml:\d+:\d+: \(yaml\)/]);
  t.match(problems('name: x\n'), [/jobs: missing/]);
});

t.test('sizes', async (t) => {
  t.equal(parseSize('512M'), 512 * 1024 * 1024);
  t.equal(parseSize('1.5k'), 1536);
  t.equal(parseSize(100), 100);
  t.equal(parseSize('2GiB'), 2 * 1024 ** 3);
  t.equal(parseSize('x'), null);
});
