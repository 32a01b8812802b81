// --strace output (src/syscalls/strace.ts: results, errno names and texts)
// and signal names (src/abi/signals.ts). Oracles: Node's os.constants (the
// platform's errno and signal numbers) and glibc's strerror texts.
import { constants } from 'node:os';
import t from 'tap';
import { E, errnoName } from '../../src/abi/errno.js';
import { isStopSignal, NSIG, parseSignal, Sig, signalName } from '../../src/abi/signals.js';
import { CONTINUE, DEFER, REPLIED } from '../../src/platform/trap-abi.js';
import { errnoText, formatResult } from '../../src/syscalls/strace.js';

/** glibc's strerror() for the errors a sandboxed program meets most. */
const GLIBC: Record<number, string> = {
  1: 'Operation not permitted', 2: 'No such file or directory', 3: 'No such process', 4: 'Interrupted system call',
  5: 'Input/output error', 7: 'Argument list too long', 8: 'Exec format error', 9: 'Bad file descriptor',
  10: 'No child processes', 11: 'Resource temporarily unavailable', 12: 'Cannot allocate memory', 13: 'Permission denied',
  14: 'Bad address', 16: 'Device or resource busy', 17: 'File exists', 18: 'Invalid cross-device link', 20: 'Not a directory',
  21: 'Is a directory', 22: 'Invalid argument', 24: 'Too many open files', 25: 'Inappropriate ioctl for device',
  28: 'No space left on device', 29: 'Illegal seek', 30: 'Read-only file system', 32: 'Broken pipe',
  34: 'Numerical result out of range', 36: 'File name too long', 38: 'Function not implemented', 39: 'Directory not empty',
  40: 'Too many levels of symbolic links', 61: 'No data available', 95: 'Operation not supported',
  97: 'Address family not supported by protocol', 110: 'Connection timed out', 111: 'Connection refused',
};

t.test('formatResult: errors as strace prints them', (t) => {
  t.equal(formatResult(-E.ENOENT), '-1 ENOENT (No such file or directory)');
  t.equal(formatResult(-E.EAGAIN), '-1 EAGAIN (Resource temporarily unavailable)');
  t.equal(formatResult(-E.ENOMEM, 'ptr'), '-1 ENOMEM (Cannot allocate memory)', 'a failed mmap');
  t.equal(formatResult(-E.EBADF, 'fd'), '-1 EBADF (Bad file descriptor)');
  t.equal(formatResult(-1), '-1 EPERM (Operation not permitted)');
  t.equal(formatResult(-4095), '-1 E4095 (E4095)', 'the last errno value, without a name');
  t.equal(formatResult(-4096), '-4096', 'below -4095 a result is no error');
  t.end();
});

t.test('formatResult: values and sentinels', (t) => {
  t.equal(formatResult(0), '0');
  t.equal(formatResult(3, 'fd'), '3');
  t.equal(formatResult(1234567), '1234567');
  t.equal(formatResult(255, 'hex'), '0xff');
  t.equal(formatResult(0x7f12_3456_7000, 'ptr'), '0x7f1234567000');
  t.equal(formatResult(0, 'ptr'), '0x0');
  t.equal(formatResult(DEFER), '? <unfinished ...>');
  t.equal(formatResult(CONTINUE), '? <continued on the host>');
  t.equal(formatResult(REPLIED), '<replied>');
  t.equal(formatResult(DEFER, 'ptr'), '? <unfinished ...>', 'sentinels whatever the format');
  t.end();
});

t.test('errno names agree with the platform\'s numbering', (t) => {
  const aliases: Record<string, string> = { EWOULDBLOCK: 'EAGAIN', ENOTSUP: 'EOPNOTSUPP', EDEADLOCK: 'EDEADLK' };
  let n = 0;
  for (const [name, num] of Object.entries(constants.errno)) {
    t.equal(errnoName(num), aliases[name] ?? name, `${num}`);
    n++;
  }
  t.ok(n > 70, `${n} errno values checked`);
  t.equal(errnoName(-2), 'ENOENT', 'sign ignored');
  t.equal(errnoName(41), 'E41', '41 is unused on Linux');
  t.equal(errnoName(999), 'E999');
  t.end();
});

t.test('errno texts are glibc\'s; unknown ones fall back to the name', (t) => {
  for (const [e, text] of Object.entries(GLIBC)) t.equal(errnoText(Number(e)), text, `errno ${e}`);
  t.equal(errnoText(E.ENXIO), 'ENXIO');
  t.equal(errnoText(4000), 'E4000');
  t.end();
});

t.test('parseSignal: names with or without SIG, any case, numbers, real-time signals', (t) => {
  for (const s of ['TERM', 'SIGTERM', 'sigterm', 'Term', ' TERM ', '15']) t.equal(parseSignal(s), 15, JSON.stringify(s));
  t.equal(parseSignal('KILL'), 9);
  t.equal(parseSignal('SIGCHLD'), 17);
  t.equal(parseSignal('sys'), 31);
  t.equal(parseSignal('1'), 1);
  t.equal(parseSignal('64'), 64);
  t.equal(parseSignal('RTMIN'), 32);
  t.equal(parseSignal('RTMIN+3'), 35);
  t.equal(parseSignal('sigrtmin+3'), 35);
  t.equal(parseSignal('SIGRTMIN+32'), 64);
  t.equal(parseSignal('RTMAX'), 64);
  for (const bad of ['', 'SIG', '0', '65', '-9', '+9', '9x', '1e1', '0x0f', 'SIGKIL', 'TERMINATE', 'RTMIN+', 'RTMIN+33', 'RTMIN-1', 'SIGRTMAX+1']) {
    t.equal(parseSignal(bad), 0, `${JSON.stringify(bad)} is no signal`);
  }
  t.end();
});

t.test('signal numbers agree with the platform and names round-trip', (t) => {
  const aliases = new Set(['SIGIOT', 'SIGPOLL', 'SIGUNUSED', 'SIGCLD', 'SIGINFO', 'SIGLOST']);
  for (const [name, num] of Object.entries(constants.signals)) {
    if (aliases.has(name)) continue;
    t.equal(parseSignal(name), num, name);
    t.equal(signalName(num), name, `${num}`);
  }
  for (let s = 1; s <= NSIG; s++) t.equal(parseSignal(signalName(s)), s, `round trip ${s}`);
  t.equal(signalName(Sig.SIGRTMIN), 'SIGRTMIN');
  t.equal(signalName(33), 'SIGRTMIN+1');
  t.equal(signalName(0), '0');
  t.equal(signalName(65), '65');
  t.equal(signalName(-1), '-1');
  t.end();
});

t.test('stop signals', (t) => {
  const stops = [];
  for (let s = 1; s <= NSIG; s++) if (isStopSignal(s)) stops.push(s);
  t.same(stops, [Sig.SIGSTOP, Sig.SIGTSTP, Sig.SIGTTIN, Sig.SIGTTOU]);
  t.same(stops, [19, 20, 21, 22]);
  t.end();
});
