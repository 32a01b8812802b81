// Runs a graph of jobs: each starts once everything it needs has finished,
// at most `concurrency` at a time (and at most `groupMax` of one matrix).
// A job decides for itself (its `if:`) whether to run after a failed
// dependency; the scheduler only orders, limits and cancels:
// - `failFast`: the first failure cancels every running job and nothing else starts;
// - a failure in a group with `groupFailFast` cancels the rest of that group;
// - `signal` aborted (Ctrl-C): every running job is cancelled, nothing else starts.

export type Outcome = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface SchedNode {
  key: string;
  /** Keys of the nodes that must finish first. */
  deps: string[];
  /** Matrix instances of one job share a group. */
  group?: string;
  groupFailFast?: boolean;
  groupMax?: number;
}

export interface ScheduleOptions<N extends SchedNode> {
  concurrency: number;
  failFast?: boolean;
  signal?: AbortSignal;
  /** Runs one node; `signal` aborts when it must stop (it should then return 'cancelled'). */
  run: (node: N, signal: AbortSignal, results: ReadonlyMap<string, Outcome>) => Promise<Outcome>;
  /** A node that never ran: cancelled before it could start. */
  onCancelled?: (node: N) => void;
}

export function schedule<N extends SchedNode>(nodes: N[], o: ScheduleOptions<N>): Promise<Map<string, Outcome>> {
  const results = new Map<string, Outcome>();
  const pending = [...nodes];
  const running = new Map<string, { node: N; ctl: AbortController }>();
  let stopAll = false;
  const limit = Math.max(1, o.concurrency);

  return new Promise((resolve) => {
    const cancelPending = (which: (n: N) => boolean): void => {
      for (let i = pending.length - 1; i >= 0; i--) {
        const n = pending[i]!;
        if (!which(n)) continue;
        pending.splice(i, 1);
        results.set(n.key, 'cancelled');
        o.onCancelled?.(n);
      }
    };
    const stop = (): void => {
      stopAll = true;
      for (const r of running.values()) r.ctl.abort();
      cancelPending(() => true);
    };
    const onAbort = (): void => {
      stop();
      pump();
    };
    if (o.signal?.aborted) stopAll = true;
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const pump = (): void => {
      if (stopAll) cancelPending(() => true);
      for (let i = 0; i < pending.length && running.size < limit; ) {
        const n = pending[i]!;
        const ready = n.deps.every((d) => results.has(d));
        const groupRunning = n.group ? [...running.values()].filter((r) => r.node.group === n.group).length : 0;
        if (!ready || (n.groupMax && groupRunning >= n.groupMax)) {
          i++;
          continue;
        }
        pending.splice(i, 1);
        const ctl = new AbortController();
        running.set(n.key, { node: n, ctl });
        void o
          .run(n, ctl.signal, results)
          .catch(() => 'failure' as const)
          .then((r) => {
            running.delete(n.key);
            results.set(n.key, r);
            if (r === 'failure') {
              if (o.failFast) stop();
              else if (n.group && n.groupFailFast) {
                for (const x of running.values()) if (x.node.group === n.group) x.ctl.abort();
                cancelPending((p) => p.group === n.group);
              }
            }
            pump();
          });
      }
      // Nothing runs and nothing can start: a dependency that is not in the graph.
      if (pending.length && !running.size) cancelPending(() => true);
      if (!pending.length && !running.size) {
        o.signal?.removeEventListener('abort', onAbort);
        resolve(results);
      }
    };
    pump();
  });
}
