// A TCP proxy in front of the database, to cut it the ways networks and servers fail:
// - pass:       forward both ways (normal);
// - refuse:     close every open connection and refuse new ones (server down, ECONNREFUSED);
// - black-hole: accept new connections but never forward, existing ones go silent (packets
//               dropped); on restore those connections are dead and are closed;
// - freeze:     keep every socket open but stop forwarding (a stopped server or a stalled
//               link); on restore the buffered bytes flow on and the connections live.
import net from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'black-hole' | 'freeze';

export type TcpProxy = {
  port: number;
  mode: ProxyMode;
  /** A copy of `url` (a postgres:// URL to the target) that goes through the proxy. */
  urlFor(url: string): string;
  set(mode: ProxyMode): Promise<void>;
  /** Connections currently open through the proxy. */
  connections(): number;
  close(): Promise<void>;
};

type Pair = { client: net.Socket; upstream: net.Socket | null; dead: boolean };

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let mode: ProxyMode = 'pass';
  let port = 0;

  const destroy = (p: Pair) => {
    p.client.destroy();
    p.upstream?.destroy();
    pairs.delete(p);
  };

  const forward = (p: Pair) => {
    if (!p.upstream) {
      const up = net.connect(target.port, target.host);
      p.upstream = up;
      up.on('error', () => destroy(p));
      up.on('close', () => destroy(p));
      up.on('data', (chunk) => {
        if (!p.client.write(chunk)) up.pause();
      });
      p.client.on('drain', () => up.resume());
      up.on('drain', () => p.client.resume());
    }
    p.client.resume();
    p.upstream.resume();
  };

  const onConnection = (client: net.Socket) => {
    const p: Pair = { client, upstream: null, dead: false };
    pairs.add(p);
    client.pause();
    client.on('error', () => destroy(p));
    client.on('close', () => destroy(p));
    client.on('data', (chunk) => {
      if (p.dead) return; // black-holed: dropped
      if (!p.upstream!.write(chunk)) client.pause();
    });
    if (mode === 'pass') forward(p);
    else if (mode === 'black-hole') {
      p.dead = true;
      client.resume(); // read and drop, never answer
    }
    // freeze: stays paused until restored
  };

  let server = net.createServer(onConnection);
  const listen = (s: net.Server, at: number) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(at, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
    });
  port = await listen(server, 0);

  const proxy: TcpProxy = {
    port,
    get mode() {
      return mode;
    },
    urlFor(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    async set(next) {
      const prev = mode;
      if (next === prev) return;
      mode = next;
      if (next === 'refuse') {
        for (const p of [...pairs]) destroy(p);
        await new Promise<void>((r) => server.close(() => r()));
        return;
      }
      if (prev === 'refuse') {
        server = net.createServer(onConnection);
        await listen(server, port);
      }
      for (const p of [...pairs]) {
        if (next === 'pass') {
          if (p.dead)
            destroy(p); // its bytes were dropped: the connection cannot go on
          else forward(p);
        } else if (next === 'black-hole') {
          p.dead = true;
          p.upstream?.pause();
          p.client.resume(); // keep reading, drop it
        } else if (next === 'freeze') {
          p.client.pause();
          p.upstream?.pause();
        }
      }
    },
    connections: () => pairs.size,
    async close() {
      for (const p of [...pairs]) destroy(p);
      await new Promise<void>((r) => (server.listening ? server.close(() => r()) : r()));
    },
  };
  return proxy;
}
