// Reading an OCI image layout (image-spec image-layout.md): `oci-layout`,
// `index.json`, and content-addressed `blobs/sha256/<hex>`. Picks the
// manifest by tag (the `org.opencontainers.image.ref.name` annotation),
// follows image indexes (manifest lists) to this machine's platform, and
// checks every JSON blob it reads against its descriptor's digest and size.
// Docker's media types (as `skopeo copy` keeps them with
// --preserve-digests or from a docker source) are accepted alongside OCI's.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImageError } from './errors.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
}

export const REF_NAME = 'org.opencontainers.image.ref.name';
const MT_INDEX = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const MT_MANIFEST = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];
/** Manifests, configs and indexes are read whole: bounded. */
const MAX_JSON = 4 << 20;

/** The image's platform for this host, in OCI's words. */
export function hostPlatform(): { os: string; architecture: string } {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}

/** `DIR[:TAG]`: an existing directory is taken whole; else TAG follows the first ':' after the last '/'. */
export function parseImageRef(ref: string): { dir: string; tag?: string } {
  if (existsSync(ref) && statSync(ref).isDirectory()) return { dir: ref };
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', slash + 1);
  if (colon <= 0) return { dir: ref };
  return { dir: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A descriptor from untrusted JSON, checked; `where` names it in errors. */
export function descriptor(v: unknown, where: string): Descriptor {
  if (!isObject(v)) throw new ImageError(`${where}: expected a descriptor object`);
  const { mediaType, digest, size, annotations, platform } = v;
  if (mediaType !== undefined && typeof mediaType !== 'string') throw new ImageError(`${where}.mediaType: expected a string`);
  if (typeof digest !== 'string') throw new ImageError(`${where}.digest: expected a string`);
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) {
    if (/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) throw new ImageError(`${where}.digest: unsupported digest algorithm in "${digest}" (only sha256)`);
    throw new ImageError(`${where}.digest: malformed digest "${digest}"`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new ImageError(`${where}.size: expected a byte count`);
  const d: Descriptor = { mediaType: mediaType ?? '', digest, size };
  if (annotations !== undefined) {
    if (!isObject(annotations) || Object.values(annotations).some((x) => typeof x !== 'string')) throw new ImageError(`${where}.annotations: expected strings`);
    d.annotations = annotations as Record<string, string>;
  }
  if (platform !== undefined) {
    if (!isObject(platform)) throw new ImageError(`${where}.platform: expected an object`);
    d.platform = platform as Descriptor['platform'];
  }
  return d;
}

/** Host path of a blob (the digest was checked by `descriptor`). */
export function blobPath(dir: string, d: Descriptor): string {
  return join(dir, 'blobs', 'sha256', d.digest.slice('sha256:'.length));
}

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** A JSON blob, verified against its descriptor. */
export function readJsonBlob(dir: string, d: Descriptor, what: string): Record<string, unknown> {
  const p = blobPath(dir, d);
  if (!existsSync(p)) throw new ImageError(`${what} ${d.digest}: blob missing (${p})`);
  if (d.size > MAX_JSON) throw new ImageError(`${what} ${d.digest}: ${d.size} bytes, larger than the ${MAX_JSON} this reads`);
  const b = readFileSync(p);
  if (b.length !== d.size) throw new ImageError(`blob ${d.digest}: ${b.length} bytes, its descriptor says ${d.size}`);
  const got = sha256(b);
  if (got !== d.digest) throw new ImageError(`blob ${d.digest}: content does not match its digest (it hashes to ${got})`);
  return parseJson(b, `${what} ${d.digest}`);
}

function parseJson(b: Buffer, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(b.toString('utf8'));
  } catch (e) {
    throw new ImageError(`${what}: not JSON (${(e as Error).message})`);
  }
  if (!isObject(v)) throw new ImageError(`${what}: expected a JSON object`);
  return v;
}

function manifestsOf(index: Record<string, unknown>, where: string): Descriptor[] {
  const m = index.manifests;
  if (!Array.isArray(m)) throw new ImageError(`${where}.manifests: expected an array`);
  return m.map((x, i) => descriptor(x, `${where}.manifests[${i}]`));
}

/** The tags of a layout's index.json, for messages. */
function tagsOf(ds: Descriptor[]): string[] {
  return ds.map((d) => d.annotations?.[REF_NAME]).filter((t): t is string => t !== undefined);
}

/** Picks by tag, or the only manifest, or "latest". */
export function pickByTag(ds: Descriptor[], tag: string | undefined, dir: string): Descriptor {
  const tags = tagsOf(ds);
  const known = tags.length ? `tags: ${tags.join(', ')}` : 'no tags';
  if (tag !== undefined) {
    const hit = ds.filter((d) => d.annotations?.[REF_NAME] === tag);
    if (!hit.length) throw new ImageError(`${dir}: no image tagged "${tag}" in index.json (${known})`);
    return hit[0]!;
  }
  if (ds.length === 1) return ds[0]!;
  const latest = ds.filter((d) => d.annotations?.[REF_NAME] === 'latest');
  if (latest.length) return latest[0]!;
  if (!ds.length) throw new ImageError(`${dir}: index.json lists no images`);
  throw new ImageError(`${dir}: index.json lists ${ds.length} images and none is tagged "latest": give DIR:TAG (${known})`);
}

/** The manifest of an index for this platform. */
function pickPlatform(ds: Descriptor[], where: string): Descriptor {
  const want = hostPlatform();
  const hit = ds.find((d) => d.platform?.os === want.os && d.platform?.architecture === want.architecture);
  if (hit) return hit;
  if (ds.length === 1 && !ds[0]!.platform) return ds[0]!;
  const have = ds.map((d) => `${d.platform?.os ?? '?'}/${d.platform?.architecture ?? '?'}`).join(', ');
  throw new ImageError(`${where}: no ${want.os}/${want.architecture} image (has ${have || 'none'})`);
}

export interface ImageManifest {
  /** Digest of the manifest that was chosen. */
  digest: string;
  config: Descriptor;
  layers: Descriptor[];
}

/**
 * Reads the layout at `dir` and returns the manifest for `tag` (see
 * pickByTag), following indexes to this platform's manifest.
 */
export function readManifest(dir: string, tag?: string): ImageManifest {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ImageError(`${dir}: no such directory`);
  const layoutFile = join(dir, 'oci-layout');
  if (!existsSync(layoutFile)) throw new ImageError(`${dir}: not an OCI image layout (no oci-layout file)`);
  const layout = parseJson(readFileSync(layoutFile), `${dir}/oci-layout`);
  if (typeof layout.imageLayoutVersion !== 'string') throw new ImageError(`${dir}/oci-layout: imageLayoutVersion: expected a string`);
  if (!/^1\./.test(layout.imageLayoutVersion)) throw new ImageError(`${dir}/oci-layout: unsupported imageLayoutVersion "${layout.imageLayoutVersion}"`);
  const indexFile = join(dir, 'index.json');
  if (!existsSync(indexFile)) throw new ImageError(`${dir}: not an OCI image layout (no index.json)`);
  const index = parseJson(readFileSync(indexFile), `${dir}/index.json`);
  let d = pickByTag(manifestsOf(index, 'index.json'), tag, dir);
  for (let depth = 0; ; depth++) {
    if (depth > 4) throw new ImageError(`${dir}: image indexes nested too deep`);
    const blob = readJsonBlob(dir, d, 'manifest');
    const mt = d.mediaType || (typeof blob.mediaType === 'string' ? blob.mediaType : '');
    if (MT_INDEX.includes(mt) || (!mt && Array.isArray(blob.manifests))) {
      d = pickPlatform(manifestsOf(blob, `index ${d.digest}`), `index ${d.digest}`);
      continue;
    }
    if (mt && !MT_MANIFEST.includes(mt)) throw new ImageError(`manifest ${d.digest}: unsupported media type ${mt}`);
    const where = `manifest ${d.digest}`;
    const config = descriptor(blob.config, `${where}: config`);
    if (!Array.isArray(blob.layers)) throw new ImageError(`${where}: layers: expected an array`);
    const layers = blob.layers.map((l, i) => descriptor(l, `${where}: layers[${i}]`));
    return { digest: d.digest, config, layers };
  }
}
