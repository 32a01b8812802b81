// The runtime's log (--log FILE, --log-format text|json, --debug): what runc
// writes there, clients read (containerd's shim and podman show the last
// "error" line when a command fails). Without --log, messages go to stderr.
import { appendFileSync } from 'node:fs';
import { writeDiag } from '../platform/diag.js';

export type Level = 'debug' | 'info' | 'warning' | 'error';

export class Log {
  constructor(
    readonly file: string | null,
    readonly format: 'text' | 'json',
    readonly debugOn: boolean,
  ) {}

  write(level: Level, msg: string): void {
    if (level === 'debug' && !this.debugOn) return;
    if (!this.file) {
      if (level !== 'debug' || this.debugOn) writeDiag(`tsvisor: ${level === 'error' ? '' : level + ': '}${msg}\n`);
      return;
    }
    const time = new Date().toISOString();
    const line = this.format === 'json' ? JSON.stringify({ level, msg, time }) : `time="${time}" level=${level} msg="${msg.replace(/["\\]/g, '\\$&')}"`;
    try {
      appendFileSync(this.file, line + '\n');
    } catch {
      writeDiag(`tsvisor: ${msg}\n`);
    }
  }

  debug(msg: string): void {
    this.write('debug', msg);
  }

  warn(msg: string): void {
    this.write('warning', msg);
  }

  /** An error: to the log, and always to stderr too (runc does both). */
  error(msg: string): void {
    this.write('error', msg);
    if (this.file) writeDiag(`tsvisor: ${msg}\n`);
  }
}
