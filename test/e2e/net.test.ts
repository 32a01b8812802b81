// The sandbox's network from outside and inside: isolation (its loopback is
// its own: the host's servers are not reachable under --network none, a
// server in one sandbox is reachable neither from another nor from the host),
// --publish into a guest server, --network host with --allow-net letting one
// host loopback port through and refusing another, `ip addr`, and real
// programs (python asyncio, http.server with urllib, node net). Only
// loopback addresses are used.
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { createServer, connect, type Server } from 'node:net';
import t from 'tap';
import { CLI, ISOLATIONS, runTsvisor, type RunOutput } from '../lib/guest.js';

/** Runs tsvisor without blocking our event loop (host servers answer meanwhile). */
function run(argv: string[], flags: string[] = [], timeoutMs = 60000): { done: Promise<RunOutput>; kill: (sig?: NodeJS.Signals) => void; stdout: () => string } {
  const p = spawn(process.execPath, [CLI, 'run', ...flags, '--', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  p.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
  const done = new Promise<RunOutput>((resolve) =>
    p.on('close', (code, sig) => {
      clearTimeout(timer);
      resolve({ code: code ?? (sig === 'SIGKILL' ? 137 : 143), stdout: out, stderr: err });
    }),
  );
  return { done, kill: (sig = 'SIGTERM') => p.kill(sig), stdout: () => out };
}

function hostServer(reply: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((c) => c.end(reply));
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

/** A free host port (bound and released). */
async function freePort(): Promise<number> {
  const { server, port } = await hostServer('');
  await new Promise((r) => server.close(r));
  return port;
}

function hostConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    let data = '';
    c.on('data', (d) => (data += d));
    c.on('end', () => resolve(`data:${data}`));
    c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

async function until<T>(f: () => Promise<T | null>, ms: number): Promise<T | null> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await f();
    if (v !== null) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

const PY_CONNECT = `
import socket, sys
for port in map(int, sys.argv[1:]):
    try:
        s = socket.create_connection(('127.0.0.1', port), timeout=5)
        print(port, 'data', s.recv(100).decode().strip())
    except OSError as e:
        print(port, 'error', e.errno)
`;

t.test('--network none: the host loopback is not reachable from inside', async (t) => {
  const { server, port } = await hostServer('host-secret');
  const r = await run(['python3', '-c', PY_CONNECT, String(port)]).done;
  server.close();
  t.equal(r.stdout, `${port} error 111\n`, r.stderr);
  t.equal(r.code, 0);
});

t.test('a server in one sandbox is reachable neither from another nor from the host', async (t) => {
  const port = await freePort();
  // The server waits up to 4 s for a connection and says whether one came.
  const server = run([
    'python3',
    '-c',
    `import socket\ns = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', ${port})); s.listen()\nprint('listening', flush=True)\ns.settimeout(4)\ntry:\n    s.accept(); print('someone came')\nexcept socket.timeout:\n    print('nobody came')`,
  ]);
  const up = await until(async () => (server.stdout().includes('listening') ? true : null), 20000);
  t.ok(up, 'guest server listening');
  const other = await run(['python3', '-c', PY_CONNECT, String(port)]).done;
  t.equal(other.stdout, `${port} error 111\n`, other.stderr);
  t.equal(await hostConnect(port), 'ECONNREFUSED', 'host cannot connect to the guest port');
  const r = await server.done;
  t.equal(r.stdout, 'listening\nnobody came\n', r.stderr);
});

t.test('--publish: the host reaches a guest http.server', async (t) => {
  const hostPort = await freePort();
  const g = run(['sh', '-c', 'mkdir -p /tmp/www && echo published > /tmp/www/f.txt && cd /tmp/www && exec python3 -m http.server 8000'], ['-p', `${hostPort}:8000`]);
  const body = await until(
    () =>
      new Promise<string | null>((resolve) => {
        const req = get({ host: '127.0.0.1', port: hostPort, path: '/f.txt', timeout: 3000 }, (res) => {
          let d = '';
          res.setEncoding('utf8').on('data', (x) => (d += x));
          res.on('end', () => resolve(res.statusCode === 200 ? d : null));
        });
        req.on('error', () => resolve(null));
        req.on('timeout', () => req.destroy());
      }),
    30000,
  );
  g.kill('SIGTERM');
  const r = await g.done;
  t.equal(body, 'published\n', r.stderr);
});

t.test('--network host with --allow-net: exactly the allowed host port is reachable', async (t) => {
  const a = await hostServer('allowed');
  const b = await hostServer('denied');
  const r = await run(['python3', '-c', PY_CONNECT, String(a.port), String(b.port)], ['--network', 'host', '--allow-net', `127.0.0.1:${a.port}`]).done;
  a.server.close();
  b.server.close();
  t.equal(r.stdout, `${a.port} data allowed\n${b.port} error 111\n`, r.stderr);
  const far = await run(['python3', '-c', `import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=5)\nexcept OSError as e:\n    print(e.errno)`], ['--network', 'host', '--allow-net', `127.0.0.1:${a.port}`]).done;
  t.equal(far.stdout, '111\n', 'a destination outside the rules is refused');
  t.match(far.stderr, /denied connection .*192\.0\.2\.1:80/, 'and logged');
  const none = await run(['python3', '-c', `import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=5)\nexcept OSError as e:\n    print(e.errno)`]).done;
  t.equal(none.stdout, '101\n', '--network none: ENETUNREACH');
});

t.test('--network host: a DNS query for a name no rule covers is refused by the sentry and logged', async (t) => {
  // Nothing leaves the machine: the sentry answers the query itself.
  const r = await run(['getent', 'hosts', 'blocked.example'], ['--network', 'host', '--allow-net', '127.0.0.1:1']).done;
  t.equal(r.code, 2, 'not resolved');
  t.match(r.stderr, /refused DNS query for blocked\.example/);
});

for (const iso of ISOLATIONS) {
  const sh = (script: string): RunOutput => runTsvisor(['sh', '-c', script], ['--isolation', iso], { timeoutMs: 120000 });

  t.test(`${iso}: ip addr shows lo and the sandbox's interface`, (t) => {
    const r = sh('ip -o addr | awk \'{print $2, $3, $4}\'');
    t.equal(r.stdout, 'lo inet 127.0.0.1/8\nlo inet6 ::1/128\neth0 inet 10.0.2.15/24\n', r.stderr);
    t.end();
  });

  t.test(`${iso}: python asyncio echo server and client`, (t) => {
    const r = runTsvisor(
      [
        'python3',
        '-c',
        `import asyncio
async def handle(r, w):
    w.write((await r.readline()).upper()); await w.drain(); w.close()
async def main():
    srv = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection('127.0.0.1', port)
    w.write(b'hello asyncio\\n'); await w.drain()
    print((await r.readline()).decode().strip())
    w.close(); srv.close(); await srv.wait_closed()
asyncio.run(main())`,
      ],
      ['--isolation', iso],
      { timeoutMs: 60000 },
    );
    t.equal(r.stdout, 'HELLO ASYNCIO\n', r.stderr);
    t.end();
  });

  t.test(`${iso}: http.server and urllib in one sandbox`, (t) => {
    const r = sh(
      'mkdir -p /tmp/w && echo inside > /tmp/w/x.txt && cd /tmp/w && (python3 -m http.server 8080 --bind 127.0.0.1 >/dev/null 2>&1 &) && ' +
        'python3 -c "import urllib.request, time\nfor i in range(100):\n    try:\n        print(urllib.request.urlopen(\'http://127.0.0.1:8080/x.txt\').read().decode(), end=\'\'); break\n    except OSError: time.sleep(0.1)"',
    );
    t.equal(r.stdout, 'inside\n', r.stderr);
    t.end();
  });

  t.test(`${iso}: node net echo server and client`, (t) => {
    const r = runTsvisor(
      [
        process.execPath,
        '-e',
        `const net = require('net');
const srv = net.createServer((c) => c.pipe(c)).listen(0, '127.0.0.1', () => {
  const c = net.connect(srv.address().port, '127.0.0.1', () => c.end('echo via node'));
  let d = ''; c.on('data', (x) => (d += x)); c.on('end', () => { console.log(d); srv.close(); });
});`,
      ],
      ['--isolation', iso],
      { timeoutMs: 60000 },
    );
    t.equal(r.stdout, 'echo via node\n', r.stderr);
    t.end();
  });
}

t.test('the sentry keeps no host fd of a finished sandbox: sockets, passed descriptors, relays', async (t) => {
  const { Sandbox } = await import('../../src/index.js');
  const { compileGuest } = await import('../lib/guest.js');
  const { openSync, closeSync, readdirSync, readlinkSync } = await import('node:fs');
  const progs = ['net_unix', 'net_tcp', 'net_udp', 'net_poll'].map((n) => compileGuest(n));
  // Sockets, pipes and anonymous objects (what the network layer makes); the
  // files of each sandbox's own filesystems are another layer's to count.
  const fds = (): number =>
    readdirSync('/proc/self/fd').filter((f) => {
      try {
        return /^(socket|pipe|anon_inode):/.test(readlinkSync(`/proc/self/fd/${f}`));
      } catch {
        return false;
      }
    }).length;
  const once = async (): Promise<number[]> => {
    const io = [openSync('/dev/null', 'r'), openSync('/dev/null', 'w'), openSync('/dev/null', 'w')] as [number, number, number];
    const codes: number[] = [];
    for (const p of progs) codes.push((await new Sandbox({ stdio: io }).run([p])).code);
    for (const fd of io) closeSync(fd);
    return codes;
  };
  await once(); // first use makes the process-wide readiness watcher
  const before = fds();
  t.same(await once(), [0, 0, 0, 0], 'programs pass');
  t.equal(fds(), before, 'same number of open sockets, pipes and anonymous fds after four sandboxes');
});
