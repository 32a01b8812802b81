// Real clients drive tsvisor-oci end to end through the scripts in oci/
// (podman, containerd's ctr, Docker), each on a busybox image made locally,
// with --network none and daemons of their own. Each needs root and the
// client installed, and is skipped otherwise.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// tap's loader hooks (NODE_OPTIONS) cannot load an extensionless ES module: the runtime runs as clients run it.
const env = { ...process.env, NODE_OPTIONS: '' };
const hasBusybox = spawnSync('sh', ['-c', 'command -v busybox']).status === 0;
t.setTimeout(900000);

const podman = spawnSync('sh', ['-c', 'command -v podman']).status === 0;
t.test('podman drives tsvisor (oci/podman.sh)', { skip: (!podman && 'no podman') || (process.getuid?.() !== 0 && 'not root') || (!hasBusybox && 'no busybox') }, async (t) => {
  const r = spawnSync(join(repo, 'oci/podman.sh'), [], { encoding: 'utf8', timeout: 240000, env });
  t.equal(r.status, 0, r.stdout + r.stderr);
  t.match(r.stdout, /ok - podman rm/);
});

const ctr = spawnSync('sh', ['-c', 'command -v ctr && command -v containerd']).status === 0;
t.test('containerd drives tsvisor (oci/ctr.sh)', { skip: (!ctr && 'no ctr/containerd') || (process.getuid?.() !== 0 && 'not root') || (!hasBusybox && 'no busybox') }, async (t) => {
  const r = spawnSync(join(repo, 'oci/ctr.sh'), [], { encoding: 'utf8', timeout: 240000, env });
  t.equal(r.status, 0, r.stdout + r.stderr);
  t.match(r.stdout, /ok - ctr task kill, rm/);
});

const docker = spawnSync('sh', ['-c', 'command -v dockerd && command -v docker']).status === 0;
t.test('Docker drives tsvisor (oci/docker.sh)', { skip: (!docker && 'no dockerd') || (process.getuid?.() !== 0 && 'not root') || (!hasBusybox && 'no busybox') }, async (t) => {
  const r = spawnSync(join(repo, 'oci/docker.sh'), [], { encoding: 'utf8', timeout: 240000, env });
  t.equal(r.status, 0, r.stdout + r.stderr);
  t.match(r.stdout, /ok - docker stop, rm/);
});
