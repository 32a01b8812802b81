// Expressions: GitHub's operators, coercions, contexts and functions.
import t from 'tap';
import { type ExprContext, evaluateCondition, interpolate } from '../../src/ci/index.js';
import { evaluateExpression } from '../../src/ci/expr.js';

const ctx = (failed = false, cancelled = false): ExprContext => ({
  contexts: {
    env: { NAME: 'World', EMPTY: '' },
    matrix: { node: 20, os: 'linux', list: ['a', 'b'] },
    steps: { build: { outputs: { version: '1.2' }, outcome: 'success', conclusion: 'success' } },
    needs: { a: { result: 'success', outputs: {} }, b: { result: 'failure', outputs: {} } },
    github: { event_name: 'push', ref: 'refs/heads/main' },
  },
  status: { failed, cancelled },
  hashFiles: (p) => `hash(${p.join(',')})`,
});

t.test('values and operators', async (t) => {
  const e = (s: string) => evaluateExpression(s, ctx());
  t.equal(e("'it''s'"), "it's");
  t.equal(e('1 == 1.0'), true);
  t.equal(e("'ABC' == 'abc'"), true, 'strings compare case-insensitively');
  t.equal(e("'1' == 1"), true, 'coerced to numbers');
  t.equal(e('null == 0'), true);
  t.equal(e('matrix.node >= 18 && matrix.node < 21'), true);
  t.equal(e("matrix.os != 'windows' && 'yes' || 'no'"), 'yes', '&& and || return operands');
  t.equal(e("env.EMPTY || 'default'"), 'default');
  t.equal(e('!env.EMPTY'), true);
  t.equal(e('env.MISSING'), null, 'missing properties are null');
  t.equal(e("steps.build.outputs.version"), '1.2');
  t.equal(e("steps['build'].outputs['version']"), '1.2');
  t.same(e('needs.*.result'), ['success', 'failure']);
  t.equal(e("contains(needs.*.result, 'failure')"), true);
  t.equal(e("contains('Hello', 'ELL')"), true);
  t.equal(e("contains(matrix.list, 'b')"), true);
  t.equal(e("startsWith(github.ref, 'refs/heads/')"), true);
  t.equal(e("endsWith(github.ref, 'MAIN')"), true);
  t.equal(e("format('{0}-{1} {{x}}', matrix.os, matrix.node)"), 'linux-20 {x}');
  t.equal(e("join(matrix.list, '+')"), 'a+b');
  t.equal(e("fromJSON('{\"a\": [1, 2]}').a[1]"), 2);
  t.equal(e('toJSON(matrix.node)'), '20');
  t.equal(e("hashFiles('**/package-lock.json')"), 'hash(**/package-lock.json)');
  t.equal(e('(1 == 2) || (2 == 2)'), true);
  t.throws(() => e('nope.x'), /unknown context "nope"/);
  t.throws(() => e('frob()'), /unknown function frob/);
  t.throws(() => e('1 +'), /unexpected/);
});

t.test('conditions and status functions', async (t) => {
  t.equal(evaluateCondition(undefined, ctx()), true);
  t.equal(evaluateCondition(undefined, ctx(true)), false, 'default is success()');
  t.equal(evaluateCondition("matrix.os == 'linux'", ctx(true)), false, 'no status function: success() && ...');
  t.equal(evaluateCondition('always()', ctx(true)), true);
  t.equal(evaluateCondition('failure()', ctx(true)), true);
  t.equal(evaluateCondition('failure()', ctx(false)), false);
  t.equal(evaluateCondition('${{ cancelled() }}', ctx(false, true)), true);
  t.equal(evaluateCondition("${{ failure() && matrix.node == 20 }}", ctx(true)), true);
  t.equal(evaluateCondition('false', ctx()), false);
});

t.test('interpolation', async (t) => {
  t.equal(interpolate('Hello ${{ env.NAME }}, node ${{ matrix.node }}!', ctx()), 'Hello World, node 20!');
  t.equal(interpolate("${{ '}}' }}", ctx()), '}}', 'braces inside strings');
  t.equal(interpolate('no expressions', ctx()), 'no expressions');
  t.equal(interpolate('${{ env.MISSING }}x', ctx()), 'x');
});
