// The filter policies, run through the BPF reference interpreter over every
// syscall number: the arch is checked, x32 and foreign ABIs cannot bypass it,
// every known number gets its class's action, unknown numbers are trapped.
import t from 'tap';
import { archInfo } from '../../src/abi/arch/index.js';
import { encode, run } from '../../src/platform/bpf.js';
import {
  classification, compile, compileBytes, precompilePolicies, restartBitmap, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_TRACE, SECCOMP_RET_USER_NOTIF,
  TRACE_MAGIC, verdictFor,
} from '../../src/platform/policy.js';

const arch = archInfo();
const AUDIT_ARCH_I386 = 0x40000003;
const ret = { allow: SECCOMP_RET_ALLOW, notify: SECCOMP_RET_USER_NOTIF, trace: (SECCOMP_RET_TRACE | TRACE_MAGIC) >>> 0, kill: SECCOMP_RET_KILL_PROCESS };

t.test('every syscall of the architecture is classified exactly once', (t) => {
  const c = classification(arch);
  t.equal(c.byName.size, Object.keys(arch.syscalls).length);
  for (const name of Object.keys(arch.syscalls)) t.ok(c.byName.has(name), name);
  t.end();
});

for (const iso of ['balanced', 'strict'] as const) {
  t.test(`${iso}: compiled filter agrees with the table for every number`, (t) => {
    const prog = compile(iso, arch);
    t.ok(prog.length < 4096, `program fits (${prog.length} instructions)`);
    let checked = 0;
    for (let nr = 0; nr <= arch.maxSyscall + 50; nr++) {
      const got = run(prog, { nr, arch: arch.auditArch, args: [0, 0, 0, 0, 0, 0] });
      const want = ret[verdictFor(nr, iso, [0, 0, 0, 0, 0, 0], arch)];
      if (got !== want) t.fail(`nr ${nr}: got 0x${got.toString(16)}, want 0x${want.toString(16)}`);
      checked++;
    }
    t.ok(checked > arch.maxSyscall, 'all numbers checked');
    t.end();
  });

  t.test(`${iso}: foreign architectures are killed, x32 and unknown numbers trapped`, (t) => {
    const prog = compile(iso, arch);
    t.equal(run(prog, { nr: arch.syscalls.getpid!, arch: AUDIT_ARCH_I386 }), SECCOMP_RET_KILL_PROCESS, 'int 0x80 / i386');
    t.equal(run(prog, { nr: 0, arch: 0 }), SECCOMP_RET_KILL_PROCESS, 'arch 0');
    // x32 read (0x40000000 | 0) must never run natively, even though read is allowed in balanced.
    t.equal(run(prog, { nr: 0x40000000, arch: arch.auditArch }), SECCOMP_RET_USER_NOTIF, 'x32 read');
    t.equal(run(prog, { nr: 0x40000000 | arch.syscalls.mmap!, arch: arch.auditArch }), SECCOMP_RET_USER_NOTIF, 'x32 mmap');
    t.equal(run(prog, { nr: arch.maxSyscall + 1, arch: arch.auditArch }), SECCOMP_RET_USER_NOTIF, 'first unknown number');
    t.equal(run(prog, { nr: 0xffffffff, arch: arch.auditArch }), SECCOMP_RET_USER_NOTIF, 'nr -1');
    t.equal(run(prog, { nr: 0x7473, arch: arch.auditArch }), SECCOMP_RET_USER_NOTIF, 'the loader call');
    t.end();
  });
}

t.test('data transfer runs natively only in balanced', (t) => {
  for (const name of ['read', 'write', 'pread64', 'lseek', 'writev']) {
    t.equal(verdictFor(arch.syscalls[name]!, 'balanced', [], arch), 'allow', `balanced ${name}`);
    t.equal(verdictFor(arch.syscalls[name]!, 'strict', [], arch), 'notify', `strict ${name}`);
  }
  for (const name of ['openat', 'close', 'getpid', 'kill', 'ioctl', 'fcntl', 'socket', 'ptrace', 'mount']) {
    t.equal(verdictFor(arch.syscalls[name]!, 'balanced', [], arch), 'notify', `${name} always trapped`);
  }
  for (const name of ['clone', 'fork', 'vfork', 'execve', 'execveat', 'set_tid_address', 'close_range']) {
    t.equal(verdictFor(arch.syscalls[name]!, 'strict', [], arch), 'trace', `${name} goes to the tracer`);
  }
  for (const name of ['mmap', 'futex', 'exit_group', 'clock_gettime', 'rt_sigreturn']) {
    t.equal(verdictFor(arch.syscalls[name]!, 'strict', [], arch), 'allow', `${name} native even in strict`);
  }
  t.end();
});

t.test('argument rules: SIGCHLD actions and PI futexes reach the sentry', (t) => {
  for (const iso of ['balanced', 'strict'] as const) {
    const prog = compile(iso, arch);
    const sa = arch.syscalls.rt_sigaction!;
    t.equal(run(prog, { nr: sa, arch: arch.auditArch, args: [17] }), SECCOMP_RET_USER_NOTIF, `${iso} rt_sigaction(SIGCHLD)`);
    t.equal(run(prog, { nr: sa, arch: arch.auditArch, args: [2] }), SECCOMP_RET_ALLOW, `${iso} rt_sigaction(SIGINT)`);
    // The upper 32 bits of an int argument are not part of the int.
    t.equal(run(prog, { nr: sa, arch: arch.auditArch, args: [0x100000011] }), SECCOMP_RET_USER_NOTIF, `${iso} rt_sigaction(SIGCHLD) with high garbage`);
    const fx = arch.syscalls.futex!;
    t.equal(run(prog, { nr: fx, arch: arch.auditArch, args: [0, 0x80] }), SECCOMP_RET_ALLOW, `${iso} FUTEX_WAIT_PRIVATE`);
    t.equal(run(prog, { nr: fx, arch: arch.auditArch, args: [0, 6 | 0x80] }), SECCOMP_RET_USER_NOTIF, `${iso} FUTEX_LOCK_PI_PRIVATE`);
  }
  t.end();
});

t.test('argument rules: sendto/recvfrom run natively in balanced only with a NULL address (all 64 bits)', (t) => {
  for (const name of ['sendto', 'recvfrom']) {
    const nr = arch.syscalls[name]!;
    const bal = compile('balanced', arch);
    const str = compile('strict', arch);
    const at = (addr: number) => [3, 0x1000, 10, 0, addr, 16];
    t.equal(run(bal, { nr, arch: arch.auditArch, args: at(0) }), SECCOMP_RET_ALLOW, `${name} NULL: native`);
    t.equal(run(bal, { nr, arch: arch.auditArch, args: at(0x7ffc1000) }), SECCOMP_RET_USER_NOTIF, `${name} address: trapped`);
    // Low half zero, high half not: a real address that must not pass for NULL.
    t.equal(run(bal, { nr, arch: arch.auditArch, args: at(0x7f00 * 2 ** 32) }), SECCOMP_RET_USER_NOTIF, `${name} high-half address: trapped`);
    t.equal(verdictFor(nr, 'balanced', at(0x7f00 * 2 ** 32), arch), 'notify', `${name} table agrees`);
    t.equal(run(str, { nr, arch: arch.auditArch, args: at(0) }), SECCOMP_RET_USER_NOTIF, `${name} strict: trapped`);
  }
  t.end();
});

t.test('the precompiled policies of the run bundle are the compiled ones, for the host arch only', (t) => {
  const pre = precompilePolicies();
  t.same(Object.keys(pre).sort(), [`${arch.name} balanced`, `${arch.name} strict`]);
  for (const isolation of ['balanced', 'strict'] as const) {
    const p = pre[`${arch.name} ${isolation}`]!;
    t.same(Uint8Array.from(Buffer.from(p.filter, 'base64')), encode(compile(isolation, arch)), `${isolation} filter`);
    t.same(Uint8Array.from(Buffer.from(p.restart, 'base64')), restartBitmap(isolation, arch), `${isolation} restart bitmap`);
    // Outside the bundle nothing is precompiled: compileBytes compiles.
    t.same(compileBytes(isolation), encode(compile(isolation, arch)));
  }
  t.end();
});
