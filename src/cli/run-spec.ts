// The `run` command's flags as data, so the oclif command and the fast path
// (bin/run.cjs skips loading oclif for `run`, which costs ~90 ms) parse alike.

export interface FlagSpec {
  name: string;
  char?: string;
  kind: 'string' | 'boolean';
  description: string;
  multiple?: boolean;
  options?: string[];
  default?: string | boolean;
  /** A directory that must exist on the host. */
  directory?: boolean;
}

export const RUN_FLAGS: FlagSpec[] = [
  { name: 'rootfs', kind: 'string', directory: true, description: "host directory used as the read-only lower layer of / (default: the host's /)" },
  { name: 'isolation', kind: 'string', options: ['balanced', 'strict'], default: 'balanced', description: 'filter policy: balanced (data transfer runs natively) or strict' },
  { name: 'strace', kind: 'boolean', default: false, description: 'print every trapped system call to stderr' },
  { name: 'stats', kind: 'boolean', default: false, description: 'print trap counts and sentry time per system call at exit' },
  { name: 'env', char: 'e', kind: 'string', multiple: true, description: 'set an environment variable (K=V, or K to copy it); repeatable' },
  { name: 'cwd', char: 'w', kind: 'string', description: "working directory inside the sandbox (default /, or the image's WorkingDir)" },
  { name: 'hostname', kind: 'string', default: 'tsvisor', description: 'host name inside the sandbox' },
  { name: 'user', char: 'u', kind: 'string', description: "UID[:GID] to run as inside the sandbox (default 0:0, or the image's User); with --image also names from the image's /etc/passwd and /etc/group" },
  { name: 'volume', char: 'v', kind: 'string', multiple: true, description: 'bind a host path: HOST:GUEST[:ro] (writes go to HOST; ro gives EROFS); repeatable' },
  { name: 'mount', kind: 'string', multiple: true, description: 'type=bind,src=HOST,dst=GUEST[,ro] or type=tmpfs,dst=GUEST[,tmpfs-size=64m,tmpfs-mode=1777]; repeatable' },
  { name: 'tmpfs', kind: 'string', multiple: true, description: 'a tmpfs at PATH[:size=64m,mode=1777,ro,noexec]; repeatable' },
  { name: 'layer', kind: 'string', multiple: true, description: 'an image layer directory (bottom first; .wh.* whiteouts honoured) instead of --rootfs; repeatable' },
  { name: 'image', kind: 'string', description: 'run an OCI image layout DIR[:TAG] (as skopeo or umoci make): its layers instead of --rootfs, its Entrypoint/Cmd/Env/WorkingDir/User as defaults' },
  { name: 'image-cache', kind: 'string', description: 'where --image unpacks layers (default $XDG_CACHE_HOME/tsvisor/layers or ~/.cache/tsvisor/layers)' },
  { name: 'upper', kind: 'string', directory: true, description: "host directory holding the overlay's upper layer (the job's writes to /) instead of memory" },
  { name: 'tty', char: 't', kind: 'boolean', default: false, description: 'give the command a terminal (stdin, stdout and stderr), relayed to ours; ours is put in raw mode while it runs' },
  { name: 'interactive', char: 'i', kind: 'boolean', default: false, description: 'keep stdin attached (it is by default; with --tty, the end of stdin ends the guest\'s input)' },
  { name: 'network', kind: 'string', options: ['none', 'host'], default: 'none', description: "network: none (the sandbox's own loopback only) or host (outbound through the sentry, as --allow-net permits)" },
  { name: 'allow-net', kind: 'string', multiple: true, description: 'with --network host: allow CIDR[:PORT], HOST[:PORT] or * (repeatable)' },
  { name: 'publish', char: 'p', kind: 'string', multiple: true, description: 'publish a guest port on the host: [ADDR:]HOSTPORT:GUESTPORT[/udp] (repeatable; ADDR defaults to 127.0.0.1)' },
  { name: 'memory', kind: 'string', description: 'memory limit of the whole sandbox (resident, all processes): e.g. 512m, 1g; beyond it every process is killed, exit code 137' },
  { name: 'pids', kind: 'string', description: 'at most N processes and threads at once; fork and clone fail with EAGAIN beyond' },
  { name: 'cpus', kind: 'string', description: 'run on N CPUs (the first N of ours; a fraction is rounded up)' },
  { name: 'cpu-time', kind: 'string', description: 'CPU seconds for the whole sandbox: SIGXCPU to every process at the limit, SIGKILL a second later' },
  { name: 'timeout', kind: 'string', description: 'wall-clock limit: SECONDS or 10s, 5m, 1h; then every process is killed, exit code 124' },
  { name: 'max-files', kind: 'string', description: 'at most N open fds across all processes; EMFILE beyond' },
  { name: 'upper-size', kind: 'string', description: 'size of the in-memory upper layer (changes to /) and of /tmp, each: e.g. 1g; ENOSPC beyond' },
  { name: 'sysctl', kind: 'string', multiple: true, description: 'set a namespaced sysctl: NAME=VALUE (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*, kernel.domainname); shown in /proc/sys; repeatable' },
];

export interface RunFlags {
  rootfs?: string;
  isolation: string;
  strace: boolean;
  stats: boolean;
  env?: string[];
  cwd?: string;
  hostname: string;
  user?: string;
  volume?: string[];
  mount?: string[];
  tmpfs?: string[];
  layer?: string[];
  image?: string;
  'image-cache'?: string;
  upper?: string;
  tty?: boolean;
  interactive?: boolean;
  network: string;
  'allow-net'?: string[];
  publish?: string[];
  memory?: string;
  pids?: string;
  cpus?: string;
  'cpu-time'?: string;
  timeout?: string;
  'max-files'?: string;
  'upper-size'?: string;
  sysctl?: string[];
}
