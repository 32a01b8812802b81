// Running an OCI image layout (`tsvisor run --image DIR[:TAG]`): the layout is
// read and checked (layout.ts), its layers unpacked once into the layer cache
// (cache.ts, unpack.ts, tar.ts), and the config turned into a process
// (config.ts). The result is plain SandboxOptions material: layer
// directories for `layers`, and argv, env, cwd, uid and gid.
import { join } from 'node:path';
import { cachedLayer, defaultLayerCache } from './cache.js';
import { type ImageConfig, parseImageConfig, resolveUser } from './config.js';
import { ImageError } from './errors.js';
import { blobPath, hostPlatform, readJsonBlob, readManifest } from './layout.js';

export { ImageError } from './errors.js';
export { defaultLayerCache } from './cache.js';
export { parseImageRef } from './layout.js';
export type { ImageConfig } from './config.js';

export interface LoadImageOptions {
  /** The manifest tagged so (annotation org.opencontainers.image.ref.name); default: the only one, or "latest". */
  tag?: string;
  /** Layer cache directory (default: defaultLayerCache()). */
  cacheDir?: string;
  /** Warnings (device nodes that could not be made without root), one line each. */
  warn?: (line: string) => void;
}

export interface LoadedImage {
  /** Digest of the manifest used. */
  manifest: string;
  /** Unpacked layer directories, bottom first: SandboxOptions.layers. */
  layers: string[];
  /** Digests of the layers, bottom first. */
  layerDigests: string[];
  /** Layers this call unpacked (the rest came from the cache). */
  unpacked: string[];
  config: ImageConfig;
}

/**
 * Reads the OCI image layout `dir`, verifies it, and makes sure each of its
 * layers is unpacked in the layer cache. Throws ImageError (one line naming
 * the file, field or layer) on anything wrong with the image.
 */
export async function loadImage(dir: string, opts: LoadImageOptions = {}): Promise<LoadedImage> {
  const m = readManifest(dir, opts.tag);
  const config = parseImageConfig(readJsonBlob(dir, m.config, 'config'), `config ${m.config.digest}`);
  const want = hostPlatform();
  if ((config.os && config.os !== want.os) || (config.architecture && config.architecture !== want.architecture)) {
    throw new ImageError(`${dir}: the image is for ${config.os}/${config.architecture}; this host runs ${want.os}/${want.architecture}`);
  }
  if (config.diffIds.length && config.diffIds.length !== m.layers.length) {
    throw new ImageError(`config ${m.config.digest}: rootfs.diff_ids lists ${config.diffIds.length} layers, the manifest ${m.layers.length}`);
  }
  const cacheDir = opts.cacheDir ?? defaultLayerCache();
  const layers: string[] = [];
  const unpacked: string[] = [];
  for (const [i, l] of m.layers.entries()) {
    const c = await cachedLayer(cacheDir, blobPath(dir, l), l, config.diffIds[i], { warn: opts.warn });
    layers.push(c.path);
    if (c.unpacked) unpacked.push(l.digest);
  }
  if (!layers.length) throw new ImageError(`manifest ${m.digest}: no layers`);
  return { manifest: m.digest, layers, layerDigests: m.layers.map((l) => l.digest), unpacked, config };
}

export interface ImageProcessOptions {
  /** Replaces the image's Cmd (after its Entrypoint), as `docker run IMAGE CMD...`. */
  command?: string[];
  /** Set over the image's Env. */
  env?: Record<string, string>;
  /** Replaces WorkingDir. */
  cwd?: string;
  /** Replaces User: "uid", "uid:gid", "name", "name:group". */
  user?: string;
}

export interface ImageProcess {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  uid: number;
  gid: number;
}

/**
 * The init process of an image: Entrypoint + (command or Cmd), Env under
 * `env` (and HOME from the user's /etc/passwd entry when neither sets it),
 * WorkingDir unless `cwd`, User unless `user`.
 */
export function imageProcess(img: LoadedImage, o: ImageProcessOptions = {}): ImageProcess {
  const c = img.config;
  const argv = [...c.entrypoint, ...(o.command?.length ? o.command : c.cmd)];
  if (!argv.length) throw new ImageError('the image has no Entrypoint or Cmd: give a command');
  const what = o.user !== undefined ? '--user' : 'image config User';
  const u = resolveUser(img.layers, o.user ?? c.user, what);
  const env: Record<string, string> = {};
  for (const kv of c.env) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  if (env.HOME === undefined && u.home) env.HOME = u.home;
  Object.assign(env, o.env ?? {});
  const wd = o.cwd ?? (c.workingDir || '/');
  return { argv, env, cwd: wd.startsWith('/') ? wd : join('/', wd), uid: u.uid, gid: u.gid };
}
