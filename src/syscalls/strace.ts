// --strace: each trapped call printed as strace does, with virtual ids.
import { errnoName } from '../abi/errno.js';
import { AT_FDCWD } from '../abi/flags.js';
import { signalName } from '../abi/signals.js';
import { CONTINUE, DEFER, REPLIED } from '../platform/trap-abi.js';
import type { Call } from './call.js';

const OFLAGS: [number, string][] = [
  [0o100, 'O_CREAT'], [0o200, 'O_EXCL'], [0o400, 'O_NOCTTY'], [0o1000, 'O_TRUNC'], [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'], [0o10000, 'O_DSYNC'], [0o40000, 'O_DIRECT'], [0o200000, 'O_DIRECTORY'],
  [0o400000, 'O_NOFOLLOW'], [0o1000000, 'O_NOATIME'], [0o2000000, 'O_CLOEXEC'], [0o10000000, 'O_PATH'],
];

function oflags(v: number): string {
  const acc = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][v & 3]!;
  const parts = [acc];
  let rest = v & ~3 & ~0o100000; // O_LARGEFILE is noise on x86_64
  for (const [bit, name] of OFLAGS) {
    if (rest & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest) parts.push('0x' + rest.toString(16));
  return parts.join('|');
}

function quote(s: string, max = 64): string {
  const t = s.length > max ? s.slice(0, max) : s;
  const esc = t.replace(/[\\"]/g, (m) => '\\' + m).replace(/[\x00-\x1f\x7f-\xff]/g, (m) => {
    const c = m.charCodeAt(0);
    return c === 10 ? '\\n' : c === 9 ? '\\t' : '\\x' + c.toString(16).padStart(2, '0');
  });
  return `"${esc}"${s.length > max ? '...' : ''}`;
}

function arg(c: Call, i: number, fmt: string): string {
  switch (fmt) {
    case 'int':
    case 'pid':
      return String(c.int(i));
    case 'uint':
      return String(c.uint(i));
    case 'size':
      return String(c.ptr(i));
    case 'fd':
      return String(c.int(i));
    case 'atfd':
      return c.int(i) === AT_FDCWD ? 'AT_FDCWD' : String(c.int(i));
    case 'path':
    case 'str': {
      const p = c.ptr(i);
      if (p === 0) return 'NULL';
      const s = c.readString(p, 4096);
      return typeof s === 'number' ? '0x' + p.toString(16) : quote(s);
    }
    case 'oflags':
      return oflags(c.int(i));
    case 'mode':
      return '0' + c.uint(i).toString(8);
    case 'sig':
      return signalName(c.int(i)) || String(c.int(i));
    case 'hex':
    case 'flags':
      return '0x' + c.uint(i).toString(16);
    case 'ptr': {
      const p = c.ptr(i);
      return p === 0 ? 'NULL' : '0x' + p.toString(16);
    }
    default:
      return '0x' + c.ptr(i).toString(16);
  }
}

export function formatCall(c: Call, name: string, args: string | undefined): string {
  const fmts = args ? args.split(',') : [];
  const parts: string[] = [];
  fmts.forEach((f, i) => {
    if (f !== '-') parts.push(arg(c, i, f.trim()));
  });
  return `[pid ${c.task.tid}] ${name}(${parts.join(', ')})`;
}

export function formatResult(r: number, how: 'int' | 'fd' | 'hex' | 'ptr' = 'int'): string {
  if (r === DEFER) return '? <unfinished ...>';
  if (r === CONTINUE) return '? <continued on the host>';
  if (r === REPLIED) return '<replied>';
  if (r < 0 && r >= -4095) return `-1 ${errnoName(-r)} (${errnoText(-r)})`;
  if (how === 'hex' || how === 'ptr') return '0x' + r.toString(16);
  return String(r);
}

const TEXT: Record<number, string> = {
  1: 'Operation not permitted', 2: 'No such file or directory', 3: 'No such process', 4: 'Interrupted system call',
  5: 'Input/output error', 7: 'Argument list too long', 8: 'Exec format error', 9: 'Bad file descriptor',
  10: 'No child processes', 11: 'Resource temporarily unavailable', 12: 'Cannot allocate memory',
  13: 'Permission denied', 14: 'Bad address', 16: 'Device or resource busy', 17: 'File exists',
  18: 'Invalid cross-device link', 20: 'Not a directory', 21: 'Is a directory', 22: 'Invalid argument',
  24: 'Too many open files', 25: 'Inappropriate ioctl for device', 28: 'No space left on device',
  29: 'Illegal seek', 30: 'Read-only file system', 32: 'Broken pipe', 34: 'Numerical result out of range',
  36: 'File name too long', 38: 'Function not implemented', 39: 'Directory not empty',
  40: 'Too many levels of symbolic links', 61: 'No data available', 95: 'Operation not supported',
  97: 'Address family not supported by protocol', 110: 'Connection timed out', 111: 'Connection refused',
};

export function errnoText(e: number): string {
  return TEXT[e] ?? errnoName(e);
}
