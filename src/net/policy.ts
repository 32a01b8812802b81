// The outbound policy of `--network host`: which destinations outside the
// sandbox a guest may reach. Rules (repeatable --allow-net):
//   CIDR[:PORT]        10.0.0.0/8, 127.0.0.1:8080, [::1]:53, ::1
//   HOST[:PORT]        example.com, example.com:443 (names are resolved by the
//                      sentry when the sandbox starts, and are what DNS
//                      queries from the guest may ask for)
//   *                  anything
// A rule without a port allows every port. Nothing is allowed by default.
import { lazyBuiltin } from '../platform/builtin.js';
import { inPrefix, ipText, parseIp } from './addr.js';

// Loaded when a rule names a host: most sandboxes have none to resolve.
const dnsPromises = lazyBuiltin<typeof import('node:dns/promises')>('node:dns/promises');

export interface AllowRule {
  text: string;
  net?: Buffer;
  bits?: number;
  host?: string;
  /** 0: any port. */
  port: number;
  any?: boolean;
}

/** Parses one --allow-net rule; a string is the error message. */
export function parseRule(text: string): AllowRule | string {
  const t = text.trim();
  if (t === '*') return { text, port: 0, any: true };
  let host = t;
  let port = 0;
  const bracket = /^\[([^\]]+)\](?::(\d+))?(\/\d+)?$/.exec(t);
  if (bracket) {
    host = bracket[1]! + (bracket[3] ?? '');
    port = bracket[2] ? Number(bracket[2]) : 0;
  } else if ((t.match(/:/g) ?? []).length === 1) {
    const i = t.lastIndexOf(':');
    host = t.slice(0, i);
    if (!/^\d+$/.test(t.slice(i + 1))) return `--allow-net ${text}: bad port`;
    port = Number(t.slice(i + 1));
  }
  if (port < 0 || port > 65535) return `--allow-net ${text}: bad port`;
  const slash = host.indexOf('/');
  const ipPart = slash >= 0 ? host.slice(0, slash) : host;
  const ip = parseIp(ipPart);
  if (ip) {
    let bits = ip.subarray(0, 12).equals(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])) ? 32 : 128;
    const max = bits;
    if (slash >= 0) {
      const b = Number(host.slice(slash + 1));
      if (!Number.isInteger(b) || b < 0 || b > max) return `--allow-net ${text}: bad prefix length`;
      bits = b;
    }
    // IPv4 prefixes count from the mapped form's 96 leading bits.
    return { text, net: ip, bits: max === 32 ? 96 + bits : bits, port };
  }
  if (slash >= 0 || !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\.?$/.test(host)) return `--allow-net ${text}: not an address, CIDR or host name`;
  return { text, host: host.toLowerCase().replace(/\.$/, ''), port };
}

export class NetPolicy {
  /** Addresses the host names of the rules resolved to, per rule. */
  private readonly resolved = new Map<AllowRule, Buffer[]>();

  constructor(readonly rules: AllowRule[] = []) {}

  /** Resolves the rules' host names (once, when the sandbox starts). */
  async prepare(): Promise<void> {
    for (const r of this.rules) {
      if (!r.host) continue;
      try {
        const addrs = await dnsPromises().lookup(r.host, { all: true });
        this.resolved.set(r, addrs.map((a) => parseIp(a.address)).filter((x): x is Buffer => x !== null));
      } catch {
        this.resolved.set(r, []);
      }
    }
  }

  /** May the guest reach ip:port? */
  allows(ip: Buffer, port: number): boolean {
    for (const r of this.rules) {
      if (r.port && r.port !== port) continue;
      if (r.any) return true;
      if (r.net && inPrefix(ip, r.net, r.bits!)) return true;
      if (r.host && (this.resolved.get(r) ?? []).some((a) => a.equals(ip))) return true;
    }
    return false;
  }

  /** May the guest look this name up (DNS through the sentry)? */
  allowsName(name: string): boolean {
    const n = name.toLowerCase().replace(/\.$/, '');
    for (const r of this.rules) {
      if (r.any) return true;
      if (r.host && (n === r.host || n.endsWith('.' + r.host))) return true;
    }
    return false;
  }

  /** Records addresses a permitted name resolved to, so connections to them pass. */
  learn(name: string, ips: Buffer[]): void {
    const n = name.toLowerCase().replace(/\.$/, '');
    for (const r of this.rules) {
      if (!r.host || !(n === r.host || n.endsWith('.' + r.host))) continue;
      const have = this.resolved.get(r) ?? [];
      for (const ip of ips) if (!have.some((a) => a.equals(ip))) have.push(ip);
      this.resolved.set(r, have);
    }
  }

  describe(ip: Buffer, port: number): string {
    return `${ipText(ip)}:${port}`;
  }
}
