// The syscall table: every family's handlers, registered by name and laid out
// by number for the architecture. The one place that joins names to numbers
// for the sentry (the filter compiler is the other, in src/platform/policy.ts).
import { archInfo } from '../abi/arch/index.js';
import { LOADER_NR } from '../platform/loader-abi.js';
import { classification, SECCOMP_EXEMPT, type SyscallClass } from '../platform/policy.js';
import type { SyscallDef, SyscallFamily } from './types.js';
import { anonSyscalls } from './anon.js';
import { fdSyscalls } from './fd.js';
import { fileSyscalls } from './file.js';
import { identitySyscalls } from './identity.js';
import { infoSyscalls } from './info.js';
import { inotifySyscalls } from './inotify.js';
import { ioSyscalls } from './io.js';
import { loaderSyscalls } from './loader.js';
import { miscSyscalls } from './misc.js';
import { mountSyscalls } from './mount.js';
import { pathSyscalls } from './path.js';
import { processSyscalls } from './process.js';
import { signalSyscalls } from './signal.js';
import { socketSyscalls } from './socket.js';
import { statSyscalls } from './stat.js';
import { xattrSyscalls } from './xattr.js';

export const FAMILIES: Record<string, SyscallFamily> = {
  fd: fdSyscalls,
  file: fileSyscalls,
  path: pathSyscalls,
  stat: statSyscalls,
  io: ioSyscalls,
  process: processSyscalls,
  signal: signalSyscalls,
  identity: identitySyscalls,
  info: infoSyscalls,
  misc: miscSyscalls,
  mount: mountSyscalls,
  loader: loaderSyscalls,
  xattr: xattrSyscalls,
  anon: anonSyscalls,
  inotify: inotifySyscalls,
  socket: socketSyscalls,
};

export class SyscallTable {
  readonly byNr: (SyscallDef | undefined)[] = [];
  private readonly names = new Map<number, string>();

  constructor() {
    const arch = archInfo();
    for (const [name, nr] of Object.entries(arch.syscalls)) this.names.set(nr, name);
    for (const [family, defs] of Object.entries(FAMILIES)) {
      for (const [name, def] of Object.entries(defs)) {
        const nr = name === 'tsvisor_loader' ? LOADER_NR : arch.syscalls[name];
        if (nr === undefined) throw new Error(`syscalls/${family}: ${name} is not a ${arch.name} system call`);
        if (this.byNr[nr]) throw new Error(`syscalls/${family}: ${name} registered twice`);
        this.byNr[nr] = def;
        if (name === 'tsvisor_loader') this.names.set(nr, name);
      }
    }
  }

  nameOf(nr: number): string {
    return this.names.get(nr) ?? `syscall_${nr}`;
  }
}


export type Support = 'implemented' | 'partial' | 'refused' | 'host' | 'unsupported';

export interface SupportRow {
  nr: number;
  name: string;
  cls: SyscallClass;
  balanced: Support;
  strict: Support;
  note: string;
}

/** The compatibility table (`tsvisor syscalls`, docs/syscalls.md). */
export function supportTable(): SupportRow[] {
  const arch = archInfo();
  const table = new SyscallTable();
  const cls = classification(arch);
  const rows: SupportRow[] = [];
  for (const [name, nr] of Object.entries(arch.syscalls).sort((a, b) => a[1] - b[1])) {
    const c = cls.byName.get(name)!;
    const def = table.byNr[nr];
    const handled: Support = def ? (def.refused ? 'refused' : def.partial ? 'partial' : 'implemented') : 'unsupported';
    const rule = cls.argRules[name];
    let balanced: Support;
    let strict: Support;
    if (c === 'native') balanced = strict = rule && def ? (def.partial ? 'partial' : 'host') : 'host';
    else if (c === 'trace') balanced = strict = 'implemented';
    else if (c === 'data') {
      balanced = 'host';
      strict = handled;
    } else balanced = strict = handled;
    const exempt = SECCOMP_EXEMPT.includes(name) ? 'exempt from seccomp by the kernel: SIGILL or ENXIO outside its probe trampoline' : '';
    const note = def?.refused ?? def?.partial ?? (c === 'trace' ? 'tracer thread (ptrace)' : exempt);
    rows.push({ nr, name, cls: c, balanced, strict, note });
  }
  return rows;
}
