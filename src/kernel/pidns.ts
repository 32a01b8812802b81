// The sandbox's pid namespace: virtual ids for threads and processes (init is
// 1), allocated the way Linux does (increasing, wrapping at pid_max, never
// reusing an id still held by a task, a zombie, a process group or a session).
import type { Task, ThreadGroup } from './task.js';

export const PID_MAX = 4194304;

export class PidNamespace {
  readonly tasks = new Map<number, Task>();
  readonly groups = new Map<number, ThreadGroup>();
  /** Ids handed out but not yet bound to a task (clone in flight). */
  private readonly reserved = new Set<number>();
  private last = 0;

  /** A fresh id, or 0 when the namespace is full. */
  alloc(): number {
    for (let i = 0; i < PID_MAX; i++) {
      let id = this.last + 1;
      if (id >= PID_MAX) id = 300; // Linux restarts above the range of early daemons
      this.last = id;
      if (!this.inUse(id)) {
        this.reserved.add(id);
        return id;
      }
    }
    return 0;
  }

  /** Claims a specific id (init). */
  claim(id: number): void {
    this.reserved.add(id);
    if (id > this.last) this.last = id;
  }

  release(id: number): void {
    this.reserved.delete(id);
  }

  bindTask(t: Task): void {
    this.reserved.delete(t.tid);
    this.tasks.set(t.tid, t);
  }

  unbindTask(t: Task): void {
    if (this.tasks.get(t.tid) === t) this.tasks.delete(t.tid);
  }

  bindGroup(g: ThreadGroup): void {
    this.groups.set(g.tgid, g);
  }

  unbindGroup(g: ThreadGroup): void {
    if (this.groups.get(g.tgid) === g) this.groups.delete(g.tgid);
  }

  private inUse(id: number): boolean {
    if (this.reserved.has(id) || this.tasks.has(id) || this.groups.has(id)) return true;
    for (const g of this.groups.values()) if (g.pgid === id || g.sid === id) return true;
    return false;
  }

  /** Live (not yet reaped) processes. */
  processCount(): number {
    return this.groups.size;
  }
}
