// Permission checks as Linux does them (generic_permission): owner, group,
// other bits against the fs ids; CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH for root.
import { E } from '../abi/errno.js';
import { S_IFDIR, S_IFMT } from '../abi/flags.js';
import { CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, type Creds } from './creds.js';
import type { Stat } from './inode.js';

export const MAY_EXEC = 1;
export const MAY_WRITE = 2;
export const MAY_READ = 4;

/** 0 when `creds` may access (mask of MAY_*), else -EACCES. */
export function permission(st: Stat, creds: Creds, mask: number): number {
  const isDir = (st.mode & S_IFMT) === S_IFDIR;
  let bits: number;
  if (creds.fsuid === st.uid) bits = (st.mode >> 6) & 7;
  else if (creds.inGroup(st.gid)) bits = (st.mode >> 3) & 7;
  else bits = st.mode & 7;
  if ((bits & mask) === mask) return 0;
  if (creds.hasCap(CAP_DAC_OVERRIDE)) {
    // Root may read and write anything, and execute what has any x bit (or search a directory).
    if (!(mask & MAY_EXEC) || isDir || st.mode & 0o111) return 0;
  }
  if (creds.hasCap(CAP_DAC_READ_SEARCH)) {
    if (mask === MAY_READ || (isDir && !(mask & MAY_WRITE))) return 0;
  }
  return -E.EACCES;
}
