#!/usr/bin/env node
// Packs a rootfs directory into an OCI image archive (an image layout in a
// tar: oci-layout, index.json, blobs/sha256/...) of one layer, which
// `ctr images import`, `podman load` and `docker load` take without a registry.
//   usage: node oci/image-archive.mjs ROOTFS OUT.tar NAME:TAG [CMD...]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [rootfs, out, name, ...cmd] = process.argv.slice(2);
if (!rootfs || !out || !name) {
  console.error('usage: image-archive.mjs ROOTFS OUT.tar NAME:TAG [CMD...]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'tsv-image-'));
const blobs = join(dir, 'blobs/sha256');
mkdirSync(blobs, { recursive: true });
const sha = (b) => createHash('sha256').update(b).digest('hex');
const blob = (b) => {
  const d = sha(b);
  writeFileSync(join(blobs, d), b);
  return { digest: `sha256:${d}`, size: b.length };
};
const layerTar = join(dir, 'layer.tar');
execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', resolve(rootfs), '-cf', layerTar, '.']);
const layerBytes = readFileSync(layerTar);
rmSync(layerTar);
const layer = blob(layerBytes);
const config = blob(
  Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: cmd.length ? cmd : ['sh'] },
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
    }),
  ),
);
const manifest = blob(
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
    }),
  ),
);
writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
writeFileSync(
  join(dir, 'index.json'),
  JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': name, 'io.containerd.image.name': name } }],
  }),
);
// Docker's `docker load` (before 25) reads manifest.json instead.
writeFileSync(
  join(dir, 'manifest.json'),
  JSON.stringify([{ Config: `blobs/sha256/${config.digest.slice(7)}`, RepoTags: [name], Layers: [`blobs/sha256/${layer.digest.slice(7)}`] }]),
);
execFileSync('tar', ['-C', dir, '-cf', `${out}.tmp`, 'oci-layout', 'index.json', 'manifest.json', 'blobs']);
renameSync(`${out}.tmp`, out);
rmSync(dir, { recursive: true });
