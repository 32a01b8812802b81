// The pure parts of exec (src/kernel/exec.ts): the `#!` line as Linux's
// load_script splits it, and the E2BIG rules of fs/exec.c. The expected
// values were checked on the host (kernel 6.x): scripts run through a program
// printing its argv, execve with RLIMIT_STACK lowered in the child.
import t from 'tap';
import { E } from '../../src/abi/errno.js';
import { AT_FDCWD, O_RDWR, RLIMIT_STACK } from '../../src/abi/flags.js';
import { Tmpfs } from '../../src/fs/tmpfs/tmpfs.js';
import { argLimit, checkArgSize, MAX_ARG_STRLEN, parseShebang, type PreparedExec, prepareExec, releaseExec } from '../../src/kernel/exec.js';
import { Rlimits } from '../../src/kernel/rlimits.js';
import type { Task } from '../../src/kernel/task.js';
import { close, pwrite } from '../../src/platform/host.js';
import { Creds } from '../../src/vfs/creds.js';
import type { Inode } from '../../src/vfs/inode.js';
import { MountNamespace } from '../../src/vfs/mount.js';
import type { NameiContext } from '../../src/vfs/namei.js';

const sb = (s: string | Buffer) => parseShebang(typeof s === 'string' ? Buffer.from(s, 'latin1') : s);

t.test('#! lines: interpreter and one optional argument', (t) => {
  t.same(sb('#!/bin/sh\necho hi\n'), { interp: '/bin/sh', arg: null });
  t.same(sb('#! /bin/sh -e\n'), { interp: '/bin/sh', arg: '-e' }, 'leading space');
  t.same(sb('#!/usr/bin/env python3 -u -v\n'), { interp: '/usr/bin/env', arg: 'python3 -u -v' }, 'one argument, inner spaces kept');
  t.same(sb('#!/x  -a  b \t \n'), { interp: '/x', arg: '-a  b' }, 'trailing spaces and tabs trimmed, inner ones kept');
  t.same(sb('#!\t/bin/sh\t-x\t\n'), { interp: '/bin/sh', arg: '-x' }, 'tabs separate like spaces');
  t.same(sb('#!/bin/sh   \n'), { interp: '/bin/sh', arg: null }, 'trailing spaces are no argument');
  // A CR is not whitespace to the kernel: a CRLF script names "/bin/sh\r" (ENOENT when run).
  t.same(sb('#!/bin/sh\r\necho hi\r\n'), { interp: '/bin/sh\r', arg: null }, 'CR kept in the interpreter');
  t.same(sb('#!/bin/sh -e\r\n'), { interp: '/bin/sh', arg: '-e\r' }, 'CR kept in the argument');
  t.end();
});

t.test('#! lines: NULs end the strings', (t) => {
  t.same(sb('#!/x\0-a\n'), { interp: '/x', arg: null }, 'NUL right after the name: no argument');
  t.same(sb('#!/x \0-a\n'), { interp: '/x', arg: '' }, 'space then NUL: an empty argument');
  t.same(sb('#!/x -a\0b\n'), { interp: '/x', arg: '-a' }, 'NUL inside the argument');
  t.same(sb('#!/bin/sh'), { interp: '/bin/sh', arg: null }, 'a short file without a newline (zero padding ends the name)');
  t.same(sb('#!/bin/sh -x'), { interp: '/bin/sh', arg: '-x' });
  t.end();
});

t.test('#! lines: nothing to run is ENOEXEC', (t) => {
  t.equal(sb('#!\n'), -E.ENOEXEC);
  // Without a newline, the zero padding ends an empty name: Linux accepts it (and then fails
  // with EACCES opening "", see prepareExec below).
  t.same(sb('#!'), { interp: '', arg: null });
  t.same(sb('#!   '), { interp: '', arg: null });
  t.same(sb('#! \0/bin/sh\n'), { interp: '', arg: null });
  t.equal(sb('#!   \t  \n/bin/sh\n'), -E.ENOEXEC, 'the interpreter must be on the first line');
  t.equal(sb('#!' + ' '.repeat(300)), -E.ENOEXEC, 'only spaces in the whole buffer');
  t.equal(sb('# /bin/sh\n'), -E.ENOEXEC, 'not "#!"');
  t.end();
});

t.test('#! lines without a newline in the first 256 bytes', (t) => {
  // The argument is cut at byte 255 of the buffer: "#!/x " is 5 bytes, so 250 remain.
  const long = sb('#!/x ' + 'a'.repeat(300) + '\n');
  t.same(long, { interp: '/x', arg: 'a'.repeat(250) });
  // A name that does not end inside the buffer may be truncated: refused.
  t.equal(sb('#!/' + 'a'.repeat(300)), -E.ENOEXEC);
  t.equal(sb('#!/' + 'a'.repeat(253)), -E.ENOEXEC, 'a 256-byte buffer with no terminator at all');
  const name = '/' + 'a'.repeat(251); // ends at byte 253, a space at 254
  t.same(sb('#!' + name + ' ' + 'b'.repeat(10)), { interp: name, arg: null }, 'the terminator at byte 254, the argument cut away');
  t.same(sb('#!' + name + ' ' + 'b'.repeat(10) + '\n'), { interp: name, arg: null });
  t.same(sb('#!/x ' + 'b'.repeat(240) + '\n'), { interp: '/x', arg: 'b'.repeat(240) }, 'a newline inside the buffer: nothing cut');
  t.end();
});

t.test('argLimit: min(6 MiB, RLIMIT_STACK/4), at least 32 pages', (t) => {
  t.equal(argLimit(8 * 1024 * 1024), 2 * 1024 * 1024, '8 MiB stack');
  t.equal(argLimit(Infinity), 6 * 1024 * 1024, 'unlimited');
  t.equal(argLimit(100 * 1024 * 1024), 6 * 1024 * 1024);
  t.equal(argLimit(600 * 1024), 150 * 1024);
  t.equal(argLimit(64 * 1024), 32 * 4096, 'ARG_MAX minimum');
  t.equal(argLimit(0), 32 * 4096);
  t.equal(MAX_ARG_STRLEN, 131072);
  t.end();
});

t.test('E2BIG: a single string of 128 KiB', (t) => {
  const big = 'x'.repeat(MAX_ARG_STRLEN - 1);
  t.equal(checkArgSize([big], [], 8 << 20, '/p'), 0, '131071 bytes + NUL');
  t.equal(checkArgSize([big + 'x'], [], 8 << 20, '/p'), -E.E2BIG, '131072 bytes + NUL');
  t.equal(checkArgSize(['a'], [big + 'x'], 8 << 20, '/p'), -E.E2BIG, 'in envp too');
  t.equal(checkArgSize(['a'], [big], Infinity, '/p'), 0);
  t.end();
});

t.test('E2BIG: totals against the limit less the pointers', (t) => {
  const chunk = 'x'.repeat(MAX_ARG_STRLEN - 1);
  // 8 MiB stack: 2 MiB for 15 strings of 128 KiB, the filename "/tmp/lx/ok" and one env string.
  // Linux (6.x) takes an env string of up to 130932 bytes here: 15*131072 + 11 + 130933 = 2097152 - 16*8.
  const argv = Array.from({ length: 15 }, () => chunk);
  t.equal(checkArgSize(argv, ['y'.repeat(130932)], 8 << 20, '/tmp/lx/ok'), 0, 'exactly at the limit');
  t.equal(checkArgSize(argv, ['y'.repeat(130933)], 8 << 20, '/tmp/lx/ok'), -E.E2BIG, 'one byte over');
  // 1 MiB stack: 256 KiB; one full string leaves 131044 bytes for the env string.
  t.equal(checkArgSize([chunk], ['y'.repeat(131044)], 1 << 20, '/tmp/lx/ok'), 0);
  t.equal(checkArgSize([chunk], ['y'.repeat(131045)], 1 << 20, '/tmp/lx/ok'), -E.E2BIG);
  t.equal(checkArgSize([chunk, chunk], [''], 1 << 20, '/tmp/lx/ok'), -E.E2BIG, 'two full strings do not fit in 256 KiB');
  // Every pointer counts: 16384 empty strings need all of 128 KiB for pointers alone.
  t.equal(checkArgSize(new Array<string>(16384).fill(''), [], 64 * 1024), -E.E2BIG);
  t.end();
});

t.test('E2BIG: an empty argv still counts one pointer and a "" string', (t) => {
  // 200000-byte stack: the 32-page minimum applies. Linux takes 131043 bytes of env here:
  // 11 (filename) + 131044 + 1 ("") = 131072 - (1 + 1) * 8.
  t.equal(checkArgSize([], ['y'.repeat(131043)], 200000, '/tmp/lx/ok'), 0);
  t.equal(checkArgSize([], ['y'.repeat(131044)], 200000, '/tmp/lx/ok'), -E.E2BIG);
  t.end();
});

t.test('E2BIG: the strings must also fit below RLIMIT_STACK itself', (t) => {
  // With a small stack the 32-page minimum is not reachable: the new stack may not grow past
  // the limit while the strings are copied. Measured on Linux with argc 0 and "/tmp/lx/ok":
  // stack 4096 (and 1, and 5000) -> 4075 bytes of env; 8192 -> 8171; 100000 -> 98283.
  const fits = (stack: number, n: number) => checkArgSize([], ['y'.repeat(n)], stack, '/tmp/lx/ok');
  for (const [stack, max] of [[4096, 4075], [1, 4075], [5000, 4075], [8192, 8171], [100000, 98283], [200000, 131043]] as const) {
    t.equal(fits(stack, max), 0, `stack ${stack}: ${max} bytes`);
    t.equal(fits(stack, max + 1), -E.E2BIG, `stack ${stack}: ${max + 1} bytes`);
  }
  t.end();
});

// ---- the whole chain, over a tmpfs: prepareExec resolves scripts and their interpreters ----

const ROOT = Creds.root();

/** A minimal static x86_64 executable: an ELF header and one PT_LOAD. */
function staticElf(): Buffer {
  const b = Buffer.alloc(64 + 56);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(62, 18); // EM_X86_64
  b.writeBigUInt64LE(0x401000n, 24);
  b.writeBigUInt64LE(64n, 32);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  b.writeUInt16LE(1, 56);
  b.writeUInt32LE(1, 64);
  return b;
}

function execTree() {
  const fs = new Tmpfs({ mode: 0o755 });
  const put = (dir: Inode, name: string, content: string | Buffer, mode = 0o755) => {
    const f = dir.create(name, mode, ROOT);
    if (typeof f === 'number') throw new Error(`create ${name}`);
    const o = f.open(O_RDWR);
    if (typeof o === 'number') throw new Error(`open ${name}`);
    const b = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
    pwrite(o.hostFd, b, 0, b.length, 0);
    close(o.hostFd);
  };
  const bin = fs.root.mkdir('bin', 0o755, ROOT) as Inode;
  put(bin, 'prog', staticElf());
  put(fs.root, 's1', '#!/bin/prog -x\n');
  put(fs.root, 's2', '#!/s1 a b\n');
  put(fs.root, 'crlf', '#!/bin/prog\r\n');
  put(fs.root, 'empty', '#!');
  put(fs.root, 'blank', '#!\n');
  put(fs.root, 'text', 'echo hello\n');
  put(fs.root, 'noexec', '#!/bin/prog\n', 0o644);
  put(fs.root, 'tonoexec', '#!/noexec\n');
  put(fs.root, 'todir', '#!/bin\n');
  put(fs.root, 'c0', '#!/bin/prog\n');
  for (let i = 1; i <= 6; i++) put(fs.root, `c${i}`, `#!/c${i - 1}\n`);
  const ns = new MountNamespace(fs.root, { source: 't', type: 'tmpfs' });
  const root = ns.rootPath();
  const ctx: NameiContext = { root, creds: ROOT };
  const task = { group: { rlimits: new Rlimits(1024) } } as unknown as Task;
  const run = (path: string, argv: string[] = [path], envp: string[] = []): PreparedExec | number => {
    const r = prepareExec({ task, ctx, cwd: root, dirPath: null, dirfd: AT_FDCWD, path, argv, envp, flags: 0 });
    if (typeof r !== 'number') releaseExec(r);
    return r;
  };
  return { run, task };
}

t.test('prepareExec: scripts become arguments of their interpreters', (t) => {
  const { run } = execTree();
  const p = run('/bin/prog', ['prog', '1']);
  t.same(typeof p === 'number' ? p : [p.argv, p.execfn, p.exeName, p.comm, p.interp], [['prog', '1'], '/bin/prog', '/bin/prog', 'prog', null]);
  const s = run('/s1', ['s1', 'arg1'], ['A=1']);
  t.same(typeof s === 'number' ? s : [s.argv, s.envp, s.execfn, s.exeName, s.comm], [['/bin/prog', '-x', '/s1', 'arg1'], ['A=1'], '/s1', '/bin/prog', 's1']);
  const n = run('/s2', ['whatever', 'z']);
  t.same(typeof n === 'number' ? n : n.argv, ['/bin/prog', '-x', '/s1', 'a b', '/s2', 'z'], 'nested: each script replaces argv[0]');
  t.end();
});

t.test('prepareExec: interpreter chains, errors', (t) => {
  const { run } = execTree();
  // Linux allows five script levels before the binary (exec_binprm: depth > 5 is ELOOP).
  const c4 = run('/c4');
  t.same(typeof c4 === 'number' ? c4 : c4.argv, ['/bin/prog', '/c0', '/c1', '/c2', '/c3', '/c4'], 'five scripts');
  t.equal(run('/c5'), -E.ELOOP, 'six scripts');
  t.equal(run('/crlf'), -E.ENOENT, 'a CRLF script names "/bin/prog\\r"');
  t.equal(run('/empty'), -E.EACCES, '"#!" alone: Linux opens "" (the cwd) and refuses it');
  t.equal(run('/blank'), -E.ENOEXEC);
  t.equal(run('/text'), -E.ENOEXEC, 'neither ELF nor script');
  t.equal(run('/noexec'), -E.EACCES, 'no x bit');
  t.equal(run('/tonoexec'), -E.EACCES, 'an interpreter without x bit');
  t.equal(run('/todir'), -E.EACCES, 'a directory as interpreter');
  t.equal(run('/bin'), -E.EACCES, 'a directory');
  t.equal(run('/nope'), -E.ENOENT);
  t.end();
});

t.test('prepareExec: E2BIG counts the filename', (t) => {
  const { run, task } = execTree();
  task.group.rlimits.get(RLIMIT_STACK).soft = 200000;
  // 131072 - 2 pointers = 131056: "/bin/prog" takes 10 bytes, argv[0] "p" 2, the env string the rest.
  t.equal(typeof run('/bin/prog', ['p'], ['y'.repeat(131043)]), 'object');
  t.equal(run('/bin/prog', ['p'], ['y'.repeat(131044)]), -E.E2BIG);
  t.end();
});
