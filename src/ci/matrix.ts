// strategy.matrix expansion, as GitHub Actions does it: the cross product of
// the axes, minus every combination an `exclude` entry matches (all of the
// entry's keys equal), then each `include` entry is added to every
// combination it does not contradict (it may add keys, not change the
// axes' values); an entry that fits none becomes a combination of its own.

import type { MatrixDef } from './model.js';

export type Combination = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function expandMatrix(m: MatrixDef): Combination[] {
  let combos: Combination[] = [{}];
  const axes = Object.entries(m.axes);
  for (const [k, values] of axes) {
    const next: Combination[] = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [k]: v });
    combos = next;
  }
  if (!axes.length) combos = [];
  combos = combos.filter((c) => !m.exclude.some((e) => Object.entries(e).every(([k, v]) => k in c && same(c[k], v))));
  const original = combos.map((c) => ({ ...c }));
  const extra: Combination[] = [];
  for (const inc of m.include) {
    let fitted = false;
    combos.forEach((c, i) => {
      const orig = original[i]!;
      // May not overwrite any of the combination's original axis values.
      if (Object.entries(inc).every(([k, v]) => !(k in orig) || same(orig[k], v))) {
        Object.assign(c, inc);
        fitted = true;
      }
    });
    if (!fitted) extra.push({ ...inc });
  }
  return [...combos, ...extra];
}

/** How a matrix instance is shown: `test (20, linux)`. */
export function instanceName(jobId: string, c: Combination): string {
  const vals = Object.values(c).map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
  return vals.length ? `${jobId} (${vals.join(', ')})` : jobId;
}

/** A name fit for a directory: letters, digits, `.`, `_`, `-`. */
export function fileKey(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'x';
}
