// The content-addressed layer cache: CACHE/sha256/<hex of the layer blob's
// digest>/ is that layer unpacked. A layer is unpacked once, into a temp
// directory beside its final name, and renamed into place (RENAME_NOREPLACE)
// only when complete and verified: a half-unpacked layer is never visible,
// and when two runs unpack the same layer at once the first rename wins and
// the other throws its copy away. CACHE/sha256 is 0700: layers may hold
// setuid files and device nodes no other host user must reach.
import { createHash } from 'node:crypto';
import { chmodSync, createReadStream, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { E, errnoName } from '../abi/errno.js';
import { close, renameat2 } from '../platform/host.js';
import { ImageError } from './errors.js';
import { TarError, TarReader } from './tar.js';
import { LayerWriter, openRoot, type UnpackCounts } from './unpack.js';
import type { Descriptor } from './layout.js';

const RENAME_NOREPLACE = 1;

/** `$XDG_CACHE_HOME/tsvisor/layers`, or `~/.cache/tsvisor/layers`. */
export function defaultLayerCache(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'tsvisor', 'layers');
}

export type Compression = 'none' | 'gzip' | 'zstd';

/** The compression of a layer media type, or null when it is not a layer type we know. */
export function layerCompression(mediaType: string): Compression | null {
  switch (mediaType) {
    case 'application/vnd.oci.image.layer.v1.tar':
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar':
    case 'application/vnd.docker.image.rootfs.diff.tar':
      return 'none';
    case 'application/vnd.oci.image.layer.v1.tar+gzip':
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip':
    case 'application/vnd.docker.image.rootfs.diff.tar.gzip':
    case 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip':
      return 'gzip';
    case 'application/vnd.oci.image.layer.v1.tar+zstd':
    case 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd':
      return 'zstd';
    default:
      return null;
  }
}

/** Node 22.15+ has zstd in zlib; Node 20 does not (no native dependency is added for it). */
function zstdDecompressor(): Transform | null {
  const make = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  return typeof make === 'function' ? make() : null;
}

export interface CachedLayer {
  /** The unpacked layer: a host directory for SandboxOptions.layers. */
  path: string;
  /** Whether this call unpacked it (false: it was in the cache). */
  unpacked: boolean;
  counts?: UnpackCounts;
}

export interface LayerCacheOptions {
  /** One line per layer whose device nodes could not be made (not root). */
  warn?: (line: string) => void;
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return `sha256:${h.digest('hex')}`;
}

/** Makes the cache's sha256/ directory (0700, made so if looser) and refuses one that is not ours or not a directory. */
function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new ImageError(`image cache ${dir}: not a directory`);
  const uid = process.getuid?.() ?? 0;
  if (st.uid !== uid) throw new ImageError(`image cache ${dir}: owned by uid ${st.uid}, not by us (${uid})`);
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/**
 * Removes a tree we unpacked. Without root, a directory the image made
 * read-only cannot be emptied: such directories are made writable first.
 * Nothing is followed (lstat; symlinks are removed as links).
 */
function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
    return;
  } catch {
    // below
  }
  const open = (p: string) => {
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (!st?.isDirectory()) return;
    chmodSync(p, 0o700);
    for (const n of readdirSync(p)) open(join(p, n));
  };
  open(path);
  rmSync(path, { recursive: true, force: true });
}

/** Temp dirs are `.tmp-<hex>-<pid>-*`; those of processes that are gone are removed. */
function removeStale(dir: string): void {
  for (const n of readdirSync(dir)) {
    const m = /^\.tmp-[0-9a-f]{64}-(\d+)-/.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    let alive = pid === process.pid;
    if (!alive) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (!alive) removeTree(join(dir, n));
  }
}

/**
 * The layer `desc` (a blob of the layout at `blobPath`) unpacked in the cache
 * `cacheDir`, unpacking it first if needed. While unpacking, the blob's
 * sha256 and size are checked against the descriptor and, when `diffId` is
 * given, the uncompressed tar's sha256 against the config's diff_id; any
 * mismatch throws and leaves nothing in the cache. A layer already in the
 * cache is not read again (its directory was made from a blob with that
 * digest).
 */
export async function cachedLayer(cacheDir: string, blobPath: string, desc: Descriptor, diffId: string | undefined, o: LayerCacheOptions = {}): Promise<CachedLayer> {
  const hex = desc.digest.slice('sha256:'.length);
  const label = `${desc.digest.slice(0, 19)}…`;
  const compression = layerCompression(desc.mediaType);
  if (compression === null) throw new ImageError(`layer ${desc.digest}: unsupported media type ${desc.mediaType}`);
  const dir = join(cacheDir, 'sha256');
  // CACHE itself may be any directory of the user's; sha256/ under it is ours and private.
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  ensureDir(dir);
  const final = join(dir, hex);
  try {
    if (lstatSync(final).isDirectory()) return { path: final, unpacked: false };
    throw new ImageError(`image cache: ${final} is not a directory`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let decompress: Transform | null = null;
  if (compression === 'gzip') decompress = zlib.createGunzip();
  else if (compression === 'zstd') {
    decompress = zstdDecompressor();
    if (!decompress) {
      throw new ImageError(
        `layer ${desc.digest}: tar+zstd layers are not supported with Node ${process.versions.node} (no zstd in zlib); convert the image with gzip layers, e.g. skopeo copy --dest-compress-format gzip`,
      );
    }
  }
  const size = statSync(blobPath).size;
  if (size !== desc.size) throw new ImageError(`blob ${desc.digest}: ${size} bytes, its descriptor says ${desc.size}`);

  removeStale(dir);
  const tmp = mkdtempSync(join(dir, `.tmp-${hex}-${process.pid}-`));
  const trash = `${tmp}.trash`;
  mkdirSync(trash, { mode: 0o700 });
  chmodSync(tmp, 0o755);
  const rootFd = openRoot(tmp);
  const trashFd = openRoot(trash);
  const writer = new LayerWriter(rootFd, trashFd, label);
  try {
    const blobHash = createHash('sha256');
    const tarHash = createHash('sha256');
    const reader = new TarReader(writer);
    const count = new Transform({
      transform(c: Buffer, _e, cb) {
        blobHash.update(c);
        cb(null, c);
      },
    });
    const sink = new Writable({
      write(c: Buffer, _e, cb) {
        try {
          tarHash.update(c);
          reader.write(c);
          cb();
        } catch (e) {
          cb(e as Error);
        }
      },
      final(cb) {
        try {
          reader.end();
          cb();
        } catch (e) {
          cb(e as Error);
        }
      },
    });
    try {
      if (decompress) await pipeline(createReadStream(blobPath), count, decompress, sink);
      else await pipeline(createReadStream(blobPath), count, sink);
    } catch (e) {
      // A blob that does not match its digest explains a broken stream
      // better than the symptom does: hash the whole blob to tell which.
      if ((await hashFile(blobPath)) !== desc.digest) throw new ImageError(`blob ${desc.digest}: content does not match its digest`);
      if (e instanceof ImageError) throw e;
      const msg = (e as Error).message;
      throw new ImageError(`layer ${label}: ${e instanceof TarError ? msg : `cannot read: ${msg}`}`);
    }
    const got = `sha256:${blobHash.digest('hex')}`;
    if (got !== desc.digest) throw new ImageError(`blob ${desc.digest}: content does not match its digest (it hashes to ${got})`);
    const tarDigest = `sha256:${tarHash.digest('hex')}`;
    if (diffId !== undefined && tarDigest !== diffId) throw new ImageError(`layer ${desc.digest}: uncompressed content ${tarDigest} does not match the config's diff_id ${diffId}`);
    writer.finish();
  } catch (e) {
    writer.abort();
    close(rootFd);
    close(trashFd);
    removeTree(tmp);
    removeTree(trash);
    throw e;
  }
  close(rootFd);
  close(trashFd);
  removeTree(trash);
  const dirFd = openRoot(dir);
  try {
    const r = renameat2(dirFd, tmp.slice(dir.length + 1), dirFd, hex, RENAME_NOREPLACE);
    if (r === -E.EEXIST || r === -E.ENOTEMPTY) {
      // Another run unpacked it first: use theirs.
      removeTree(tmp);
      return { path: final, unpacked: false, counts: writer.counts };
    }
    if (r < 0) {
      removeTree(tmp);
      throw new ImageError(`image cache: renaming into ${final}: ${errnoName(-r)}`);
    }
  } finally {
    close(dirFd);
  }
  if (writer.counts.skippedNodes) {
    o.warn?.(`image layer ${label}: skipped ${writer.counts.skippedNodes} device node(s) (making them needs root)`);
  }
  return { path: final, unpacked: true, counts: writer.counts };
}
