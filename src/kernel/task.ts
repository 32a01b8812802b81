// Tasks (threads) and thread groups (processes) as the sentry sees them:
// virtual ids, the process tree, credentials, limits, exit state. The host
// threads behind them are only addressed by host tid when the sentry acts.
import { Sig } from '../abi/signals.js';
import type { Usage } from '../platform/platform.js';
import type { Creds } from '../vfs/creds.js';
import type { FdTable } from '../vfs/fdtable.js';
import type { FsContext } from '../vfs/fscontext.js';
import type { VPath } from '../vfs/mount.js';
import type { PreparedExec } from './exec.js';
import type { Rlimits } from './rlimits.js';

/** Something blocked until a child of a group changes state (wait4, waitid). */
export interface ChildWaiter {
  /** Re-checks; true when finished (replied or abandoned). */
  retry(): boolean;
}

export type SigchldAction = 'default' | 'ignore' | 'handler';

export class ThreadGroup {
  readonly tasks = new Set<Task>();
  readonly children = new Set<ThreadGroup>();
  readonly waiters = new Set<ChildWaiter>();
  leader!: Task;
  /** Host tgid: the host tid of the first thread, stable across exec. */
  hostTgid = 0;

  /** Wait status once the last thread died (Linux encoding); null while alive. */
  exitStatus: number | null = null;
  reaped = false;
  /** Stop signal not yet reported to a WUNTRACED waiter. */
  stopReport = 0;
  stopped = false;
  continuedReport = false;

  sigchld: SigchldAction = 'default';
  /** SA_NOCLDWAIT / SA_NOCLDSTOP on the SIGCHLD action. */
  noCldWait = false;
  noCldStop = false;
  subreaper = false;
  /** PR_GET_DUMPABLE: 0, 1 (SUID_DUMP_USER) or 2 (the host's fs.suid_dumpable after a credential change). */
  dumpable = 1;
  /**
   * The thread that created this process (Linux's real_parent is a thread):
   * when it exits, even if its process lives on, pdeathsig is sent.
   */
  parentTask: Task | null = null;
  /** Execs so far (Linux self_exec_id), and the parent's count when this process was made. */
  execCount = 0;
  parentExecCount = 0;
  /** PR_SET_NO_NEW_PRIVS as the guest set it (the host always has it set). */
  noNewPrivs = false;
  /** /proc/PID/oom_score_adj and the floor below which only CAP_SYS_RESOURCE may go (virtual; inherited). */
  oomScoreAdj = 0;
  oomScoreAdjMin = 0;

  /** CPU time of this process (known once it exited) and of its reaped children. */
  readonly usage: Usage = { utimeUs: 0, stimeUs: 0, maxrssKb: 0 };
  readonly childUsage: Usage = { utimeUs: 0, stimeUs: 0, maxrssKb: 0 };
  /** Set by exec: setpgid on this process by its parent then fails with EACCES. */
  didExec = false;

  exe: VPath | null = null;
  exeName = '';
  argv: string[] = [];
  envp: string[] = [];
  readonly startTime = Date.now();

  constructor(
    readonly tgid: number,
    public parent: ThreadGroup | null,
    public pgid: number,
    public sid: number,
    public creds: Creds,
    public rlimits: Rlimits,
    /** Signal the parent gets when this group exits (0: none). */
    public exitSignal: number = Sig.SIGCHLD,
  ) {}

  get zombie(): boolean {
    return this.exitStatus !== null && !this.reaped;
  }

  get alive(): boolean {
    return this.exitStatus === null;
  }
}

/** What the loader of a freshly exec'd task still has to pick up. */
export interface Loading {
  exec: PreparedExec;
  /** Guest fd numbers the loader maps from and then closes. */
  slots: Set<number>;
}

export class Task {
  files!: FdTable;
  fs!: FsContext;
  comm = '';
  pdeathsig = 0;
  /** vtid reserved by askClone → flags, until the host clone is reported. */
  readonly pendingClones = new Map<number, number>();
  /** An exec the sentry approved; the host is about to run the loader. */
  pendingExec: PreparedExec | null = null;
  loading: Loading | null = null;
  dead = false;
  /** Restartable interruption bookkeeping: id of a deferred call, if any. */
  blockedIn: string | null = null;

  constructor(
    public hostTid: number,
    public tid: number,
    public group: ThreadGroup,
  ) {}

  get creds(): Creds {
    return this.group.creds;
  }

  get pid(): number {
    return this.group.tgid;
  }
}
