// The two reporters and the report formats, from made-up results (no sandbox).
import t from 'tap';
import { junitReport, LiveReporter, PlainReporter, summaryTable } from '../../src/ci/index.js';
import type { PipelineResult } from '../../src/ci/index.js';

const result: PipelineResult = {
  runId: 'r1', file: 'ci.yml', name: 'demo <&>', kind: 'pipeline', exitCode: 1, ok: false, cancelled: false, startedAt: '', durationMs: 1500,
  logDir: '/logs/r1', reports: ['/r.xml'],
  jobs: [
    { name: 'a', jobId: 'a', key: 'a', status: 'success', steps: [{ name: 'one', outcome: 'success', conclusion: 'success', exitCode: 0, signal: 0, durationMs: 10, outputs: {} }], durationMs: 20, outputs: {} },
    {
      name: 'b (1)', jobId: 'b', key: 'b-1', status: 'failure', reason: 'step "two" failed: exit code 2', durationMs: 30, outputs: {},
      steps: [
        { name: 'two', outcome: 'failure', conclusion: 'failure', exitCode: 2, signal: 0, durationMs: 5, reason: 'exit code 2', log: '/logs/r1/b-1/01-two.log', outputs: {} },
        { name: 'three', outcome: 'skipped', conclusion: 'skipped', exitCode: null, signal: 0, durationMs: 0, reason: 'an earlier step failed', outputs: {} },
      ],
    },
  ],
};

t.test('plain lines, prefixed by job', async (t) => {
  let out = '';
  const r = new PlainReporter((s) => (out += s));
  const b = { name: 'b (1)', key: 'b-1' };
  r.jobStarted(b);
  r.stepStarted(b, 0, 'two');
  r.output(b, 0, 'hello');
  r.stepFinished(b, 0, result.jobs[1]!.steps[0]!);
  r.jobFinished(b, result.jobs[1]!);
  r.runFinished(result);
  t.match(out, '[b (1)] job started\n[b (1)] ▶ 1. two\n[b (1)] hello\n[b (1)] ✗ 1. two: failure — exit code 2 (5 ms)\n[b (1)] job failure — step "two" failed: exit code 2 (30 ms)\n');
  t.match(out, /✗ b \(1\)\s+failure\s+30 ms\s+step "two" failed/);
  t.match(out, 'failed: 1/2 jobs passed in 1.5 s — logs: /logs/r1\nreport: /r.xml\n');
});

t.test('the live list redraws in place and shows a failed step\'s last lines', async (t) => {
  let out = '';
  const r = new LiveReporter((s) => (out += s), () => 80);
  const b = { name: 'b (1)', key: 'b-1' };
  r.runStarted({ runId: 'r1', pipeline: { file: 'ci.yml', kind: 'pipeline', name: 'demo', env: {}, defaults: {}, jobs: [] }, jobs: [b], logDir: '/logs/r1' });
  r.jobStarted(b, 2);
  r.stepStarted(b, 0, 'two');
  r.output(b, 0, 'the error');
  r.stepFinished(b, 0, result.jobs[1]!.steps[0]!);
  r.jobFinished(b, result.jobs[1]!);
  r.runFinished(result);
  t.match(out, '\x1b[1A', 'cursor moves up to redraw');
  t.match(out, '✗ b (1) › 1. two: exit code 2');
  t.match(out, '    the error');
  t.match(out, '    log: /logs/r1/b-1/01-two.log');
  t.match(out, summaryTable(result));
});

t.test('junit: a suite per job, a case per step, escaped', async (t) => {
  const x = junitReport(result);
  t.match(x, '<testsuites name="demo &lt;&amp;&gt;" tests="3" failures="1" time="1.500">');
  t.match(x, '<testsuite name="b (1)" tests="2" failures="1" skipped="1" time="0.030">');
  t.match(x, '<testcase classname="b (1)" name="1. two" time="0.005">\n      <failure message="exit code 2">log: /logs/r1/b-1/01-two.log</failure>');
  t.match(x, '<skipped message="an earlier step failed"/>');
});
