// Matrix expansion (GitHub's include/exclude rules) and the job scheduler
// (needs, concurrency, fail-fast, cancel). No timing: jobs finish when the
// test releases them.
import t from 'tap';
import { expandMatrix, type Outcome, schedule, type SchedNode } from '../../src/ci/index.js';

t.test('matrix: cross product, exclude, include', async (t) => {
  t.same(expandMatrix({ axes: { a: [1, 2], b: ['x', 'y'] }, include: [], exclude: [] }), [
    { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' },
  ]);
  t.same(expandMatrix({ axes: { a: [1, 2], b: ['x', 'y'] }, include: [], exclude: [{ a: 2, b: 'y' }] }), [{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }]);
  t.same(expandMatrix({ axes: { a: [1, 2], b: ['x', 'y'] }, include: [], exclude: [{ b: 'y' }] }), [{ a: 1, b: 'x' }, { a: 2, b: 'x' }], 'partial exclude');
  // GitHub's documented example: an include adds keys where it does not contradict, else becomes its own.
  t.same(
    expandMatrix({
      axes: { fruit: ['apple', 'pear'], animal: ['cat', 'dog'] },
      include: [{ color: 'green' }, { color: 'pink', animal: 'cat' }, { fruit: 'apple', shape: 'circle' }, { fruit: 'banana' }, { fruit: 'banana', animal: 'cat' }],
      exclude: [],
    }),
    [
      { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
      { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
      { fruit: 'pear', animal: 'cat', color: 'pink' },
      { fruit: 'pear', animal: 'dog', color: 'green' },
      { fruit: 'banana' },
      { fruit: 'banana', animal: 'cat' },
    ],
  );
  t.same(expandMatrix({ axes: {}, include: [{ os: 'a' }, { os: 'b' }], exclude: [] }), [{ os: 'a' }, { os: 'b' }], 'include only');
});

/** A scheduler run whose jobs finish when the test says so. */
function harness(nodes: SchedNode[], opts: { concurrency: number; failFast?: boolean; signal?: AbortSignal }) {
  const started: string[] = [];
  const waiting = new Map<string, (o: Outcome) => void>();
  const aborted: string[] = [];
  const done = schedule(nodes, {
    ...opts,
    run: (n, signal) =>
      new Promise<Outcome>((resolve) => {
        started.push(n.key);
        waiting.set(n.key, resolve);
        signal.addEventListener('abort', () => {
          aborted.push(n.key);
          resolve('cancelled');
        });
      }),
  });
  const tick = () => new Promise((r) => setImmediate(r));
  return {
    started,
    aborted,
    done,
    async finish(key: string, o: Outcome) {
      waiting.get(key)!(o);
      await tick();
      await tick();
    },
    tick,
  };
}

t.test('scheduler: needs and concurrency', async (t) => {
  const h = harness(
    [
      { key: 'a', deps: [] },
      { key: 'b', deps: [] },
      { key: 'c', deps: [] },
      { key: 'd', deps: ['a', 'b'] },
    ],
    { concurrency: 2 },
  );
  await h.tick();
  t.same(h.started, ['a', 'b'], 'two at once');
  await h.finish('a', 'success');
  t.same(h.started, ['a', 'b', 'c'], 'd waits for b');
  await h.finish('b', 'failure');
  t.same(h.started, ['a', 'b', 'c', 'd'], 'd runs after its needs (it decides about their failure itself)');
  await h.finish('c', 'success');
  await h.finish('d', 'skipped');
  const r = await h.done;
  t.same(Object.fromEntries(r), { a: 'success', b: 'failure', c: 'success', d: 'skipped' });
});

t.test('scheduler: fail-fast cancels running and pending jobs', async (t) => {
  const h = harness(
    [
      { key: 'a', deps: [] },
      { key: 'b', deps: [] },
      { key: 'c', deps: [] },
    ],
    { concurrency: 2, failFast: true },
  );
  await h.tick();
  await h.finish('a', 'failure');
  const r = await h.done;
  t.same(h.aborted, ['b']);
  t.same(Object.fromEntries(r), { a: 'failure', b: 'cancelled', c: 'cancelled' });
});

t.test('scheduler: a matrix group fails fast alone; max-parallel', async (t) => {
  const g = { group: 'm', groupFailFast: true, groupMax: 1 };
  const h = harness(
    [
      { key: 'm1', deps: [], ...g },
      { key: 'm2', deps: [], ...g },
      { key: 'other', deps: [] },
    ],
    { concurrency: 4 },
  );
  await h.tick();
  t.same(h.started, ['m1', 'other'], 'one instance at a time');
  await h.finish('m1', 'failure');
  t.same(h.started, ['m1', 'other'], 'm2 cancelled, never started');
  await h.finish('other', 'success');
  const r = await h.done;
  t.same(Object.fromEntries(r), { m1: 'failure', m2: 'cancelled', other: 'success' });
});

t.test('scheduler: aborting cancels everything', async (t) => {
  const ctl = new AbortController();
  const h = harness(
    [
      { key: 'a', deps: [] },
      { key: 'b', deps: ['a'] },
    ],
    { concurrency: 2, signal: ctl.signal },
  );
  await h.tick();
  ctl.abort();
  const r = await h.done;
  t.same(Object.fromEntries(r), { a: 'cancelled', b: 'cancelled' });
});
