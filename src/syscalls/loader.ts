// The loader's private call (native/loader): it asks for the image the
// sentry prepared at exec. Everyone else gets ENOSYS, as for any number Linux
// does not have.
import { E } from '../abi/errno.js';
import { encodeImage, imageSize, LOADER_OP_HELLO, type ImageElf } from '../platform/loader-abi.js';
import type { ExecFile } from '../kernel/exec.js';
import type { Call } from './call.js';
import type { SyscallFamily } from './types.js';

function elf(f: ExecFile, fd: number): ImageElf {
  return { entry: f.elf.entry, phoff: f.elf.phoff, type: f.elf.type, phnum: f.elf.phnum, phentsize: f.elf.phentsize, fd, phdrs: f.elf.phdrs };
}

/** tsvisor_loader(op, buf, len): fills buf with the image, or returns the size it needs. */
function sysLoader(c: Call): number {
  const l = c.task.loading;
  if (!l || c.int(0) !== LOADER_OP_HELLO) return -E.ENOSYS;
  const [progSlot, interpSlot] = c.pf.execSlots;
  const p = l.exec;
  const creds = c.task.creds;
  const img = {
    argv: p.argv,
    envp: p.envp,
    execfn: p.execfn,
    comm: p.comm,
    uid: creds.uid,
    euid: creds.euid,
    gid: creds.gid,
    egid: creds.egid,
    secure: false,
    prog: elf(p.prog, progSlot),
    interp: p.interp ? elf(p.interp, interpSlot) : undefined,
  };
  const size = imageSize(img);
  if (c.ptr(2) < size) return size;
  // Installing at fixed slots is idempotent if a signal makes the loader ask again.
  let r = c.pf.addFd(p.prog.hostFd, progSlot, true, false);
  if (r < 0) return r;
  if (p.interp) {
    r = c.pf.addFd(p.interp.hostFd, interpSlot, true, false);
    if (r < 0) return r;
  }
  const w = c.write(c.ptr(1), encodeImage(img));
  return w < 0 ? w : 0;
}

export const loaderSyscalls: SyscallFamily = {
  tsvisor_loader: { fn: sysLoader, args: 'int,ptr,size' },
};
