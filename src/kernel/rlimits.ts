// Virtual resource limits: what getrlimit/setrlimit/prlimit64 see. The host's
// own limits on guest processes are only a backstop set by the platform.
import { RLIM_NLIMITS, RLIMIT_CORE, RLIMIT_MEMLOCK, RLIMIT_MSGQUEUE, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_SIGPENDING, RLIMIT_STACK } from '../abi/flags.js';

export const RLIM_INFINITY = Infinity;

export interface Rlimit {
  soft: number;
  hard: number;
}

export class Rlimits {
  readonly v: Rlimit[];

  constructor(nofileMax: number) {
    this.v = [];
    for (let i = 0; i < RLIM_NLIMITS; i++) this.v.push({ soft: RLIM_INFINITY, hard: RLIM_INFINITY });
    this.v[RLIMIT_STACK] = { soft: 8 * 1024 * 1024, hard: RLIM_INFINITY };
    this.v[RLIMIT_CORE] = { soft: 0, hard: RLIM_INFINITY };
    this.v[RLIMIT_NOFILE] = { soft: Math.min(1024, nofileMax), hard: nofileMax };
    this.v[RLIMIT_NPROC] = { soft: 63536, hard: 63536 };
    this.v[RLIMIT_SIGPENDING] = { soft: 63536, hard: 63536 };
    this.v[RLIMIT_MEMLOCK] = { soft: 8 * 1024 * 1024, hard: 8 * 1024 * 1024 };
    this.v[RLIMIT_MSGQUEUE] = { soft: 819200, hard: 819200 };
  }

  get(res: number): Rlimit {
    return this.v[res]!;
  }

  copy(): Rlimits {
    const r = Object.create(Rlimits.prototype) as Rlimits;
    (r as { v: Rlimit[] }).v = this.v.map((x) => ({ ...x }));
    return r;
  }
}
