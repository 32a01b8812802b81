// tsvisor's own messages (errors, --strace, --stats) on a host fd.
//
// The guest shares tsvisor's stdio: the same open file descriptions. Node's
// process.stdout/stderr put a pipe or socket into O_NONBLOCK the moment they
// are first touched, and that flag lives in the shared description, so the
// guest's writes would start failing with EAGAIN whenever its reader is slow
// (stdio then drops output). Everything tsvisor prints while a sandbox may
// run goes through here instead: plain blocking writes that change no flags.
// (scripts/lint-layers.mjs refuses process.stdout/stderr elsewhere in src/.)
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `text` to `fd`, waiting out EAGAIN if someone else made it non-blocking. */
export function writeDiag(text: string, fd = 2): void {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return; // a closed stderr loses messages, nothing else
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
