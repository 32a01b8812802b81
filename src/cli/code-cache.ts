// Loading the `tsvisor run` bundle (dist/tsvisor-run.cjs) with a V8 code
// cache: compiling its ~600 KB of JavaScript is ~15 ms of every sandbox start,
// deserializing compiled bytecode a few (docs/performance.md, W6). bin/run.cjs
// loads this module itself as CommonJS (dist/tsvisor-loader.cjs, made by
// scripts/bundle.mjs), before anything else of tsvisor.
//
// A run that found no usable cache writes one as it ends (when it may write
// there): V8 then serializes what that run compiled, which is what the next
// start needs. The build (scripts/code-cache.mjs, run by the build and by
// `npm install`) makes the first with a run of `true`, or, where no sandbox
// can run, by compiling every function (larger: ~1 MB against ~0.4 MB, and
// ~3 ms slower to load). The cache is only ever an optimisation: one that is
// missing, unreadable, for another build of the bundle, another Node or
// another architecture is not used (its header says which it is for; V8
// itself also rejects a cache of another V8 version or other V8 flags), and
// the run compiles the bundle as it would have without one.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';

const MAGIC = 'tsvisor-code-cache 1';
/** The first line scripts/bundle.mjs gives the bundle: a hash of the rest. */
const BUILD_LINE = /^\/\/ tsvisor-bundle ([0-9a-f]{64})\n/;

/** What a loaded bundle exports (src/cli/fast-run.ts). */
export interface RunBundle {
  fastRun(args: string[]): Promise<number | null>;
}

/** Why a cache was not used; null when it was. */
export type CacheMiss = 'missing' | 'unreadable' | 'other-build' | 'rejected' | 'no-build-id' | null;

export interface LoadedBundle {
  exports: RunBundle;
  miss: CacheMiss;
  /** Writes a fresh cache when this one was not used and the directory is writable; never throws. */
  refresh(): boolean;
}

/** The cache file that belongs to a bundle. */
export function cachePathOf(bundlePath: string): string {
  return bundlePath.replace(/\.c?js$/, '') + '.v8cache';
}

/** The header a cache for this bundle text, on this Node and architecture, carries. */
export function cacheHeader(source: string): string | null {
  const m = BUILD_LINE.exec(source);
  if (!m) return null;
  return `${MAGIC} ${m[1]} ${process.version} ${process.arch} ${process.versions.v8}\n`;
}

// The CommonJS wrapper, on the source's first line so stack traces keep their line numbers.
function wrap(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}

function compile(bundlePath: string, source: string, cachedData?: Buffer): import('node:vm').Script {
  return new vm.Script(wrap(source), { filename: bundlePath, cachedData });
}

// Atomically: a concurrent run reads the old file or the new one, never half of one.
function writeCache(cachePath: string, header: string, script: import('node:vm').Script): boolean {
  const tmp = `${cachePath}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(header), script.createCachedData()]), { mode: 0o644 });
    fs.renameSync(tmp, cachePath);
    return true;
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // never made
    }
    return false;
  }
}

/**
 * Writes a cache of the bundle with every function compiled (V8's --no-lazy,
 * for this compilation only), for a build that cannot run a sandbox. Meant
 * for a process of its own (scripts/code-cache.mjs). Resolves with whether it wrote.
 */
export async function writeEagerCodeCache(bundlePath: string, cachePath = cachePathOf(bundlePath)): Promise<boolean> {
  let source: string;
  try {
    source = fs.readFileSync(bundlePath, 'utf8');
  } catch {
    return false;
  }
  const header = cacheHeader(source);
  if (header === null) return false;
  // Loaded here: node:v8 loads streams, ~1.6 ms a run does not need.
  const v8 = await import('node:v8');
  let script: import('node:vm').Script;
  v8.setFlagsFromString('--no-lazy');
  try {
    script = compile(bundlePath, source);
  } finally {
    // Before the cache is made: it records a hash of the flags, which a run (lazy) must match.
    v8.setFlagsFromString('--lazy');
  }
  return writeCache(cachePath, header, script);
}

/** Whether `cachePath` holds a cache made for the bundle at `bundlePath` on this Node (V8 may still reject it). */
export function hasCodeCache(bundlePath: string, cachePath = cachePathOf(bundlePath)): boolean {
  try {
    return readCache(cachePath, cacheHeader(fs.readFileSync(bundlePath, 'utf8'))).miss === null;
  } catch {
    return false;
  }
}

function readCache(cachePath: string, header: string | null): { data?: Buffer; miss: CacheMiss } {
  if (header === null) return { miss: 'no-build-id' };
  let buf: Buffer;
  try {
    buf = fs.readFileSync(cachePath);
  } catch (e) {
    return { miss: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  const h = Buffer.from(header);
  if (buf.length <= h.length || !buf.subarray(0, h.length).equals(h)) return { miss: 'other-build' };
  return { data: buf.subarray(h.length), miss: null };
}

/**
 * Loads and runs the bundle at `bundlePath` as a CommonJS module, with its
 * code cache when that is usable. Throws only what loading the bundle itself
 * would (a missing bundle, an error in its top-level code).
 */
export function loadBundle(bundlePath: string, cachePath = cachePathOf(bundlePath)): LoadedBundle {
  const source = fs.readFileSync(bundlePath, 'utf8');
  const header = cacheHeader(source);
  const cache = readCache(cachePath, header);
  const script = compile(bundlePath, source, cache.data);
  const miss: CacheMiss = cache.data && script.cachedDataRejected ? 'rejected' : cache.miss;
  const mod = { exports: {} as RunBundle };
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: unknown, f: string, d: string) => void;
  fn.call(mod.exports, mod.exports, createRequire(bundlePath), mod, bundlePath, path.dirname(bundlePath));
  return {
    exports: mod.exports,
    miss,
    refresh(): boolean {
      if (miss === null || header === null) return false;
      try {
        fs.accessSync(path.dirname(cachePath), fs.constants.W_OK);
      } catch {
        return false; // an installation we may not write to: run without a cache
      }
      return writeCache(cachePath, header, script);
    },
  };
}
