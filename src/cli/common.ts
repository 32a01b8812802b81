// What the CLI commands share: argument parsing helpers and signal forwarding.
import type { Sandbox } from '../sandbox.js';
import { writeDiag } from '../platform/diag.js';
import { isatty } from '../platform/host.js';

/** K=V pairs; a bare K takes the value from tsvisor's own environment, as docker does. */
export function parseEnv(list: string[], fail: (msg: string) => never): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of list) {
    const i = e.indexOf('=');
    if (i === 0) fail(`--env: invalid variable "${e}" (empty name)`);
    if (i < 0) {
      const v = process.env[e];
      if (v !== undefined) env[e] = v;
      continue;
    }
    env[e.slice(0, i)] = e.slice(i + 1);
  }
  return env;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
const NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15 };

/**
 * Signals sent to tsvisor go to the guest's init. Without a sandbox terminal
 * a terminal's Ctrl-C already reaches every guest process (they share our
 * process group), so it is not sent twice. With one (`tty`), SIGINT and
 * SIGQUIT go to the foreground process group of the sandbox's terminal, as
 * the keys would: the guests have a host process group of their own.
 */
export function signalForwarding(sb: Sandbox, tty = false): () => void {
  const handlers = FORWARDED.map((sig) => {
    const h = () => {
      if (tty && (sig === 'SIGINT' || sig === 'SIGQUIT')) {
        sb.console?.signalForeground(NUMBERS[sig]!);
        return;
      }
      if (sig === 'SIGINT' && isatty(0)) return;
      sb.signal(NUMBERS[sig]!);
    };
    process.on(sig, h);
    return () => process.off(sig, h);
  });
  return () => handlers.forEach((off) => off());
}

export function printStats(sb: Sandbox): void {
  const rows = sb.stats();
  const total = rows.reduce((a, r) => a + r.count, 0);
  const ms = rows.reduce((a, r) => a + r.totalMs, 0);
  const lines = [`${'syscall'.padEnd(22)}${'calls'.padStart(10)}${'errors'.padStart(8)}${'total ms'.padStart(12)}${'mean us'.padStart(10)}`];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(22)}${String(r.count).padStart(10)}${String(r.errors).padStart(8)}${r.totalMs.toFixed(2).padStart(12)}${r.meanUs.toFixed(2).padStart(10)}`);
  }
  lines.push(`${'total'.padEnd(22)}${String(total).padStart(10)}${''.padStart(8)}${ms.toFixed(2).padStart(12)}`);
  writeDiag(lines.join('\n') + '\n');
}
