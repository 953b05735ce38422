// The provider's HTTP exchange: kept-alive sockets, the whole-exchange timeout, and the one
// retry when a kept-alive socket was closed by the server while idle.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { requestText } from './request-text.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

describe('requestText', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  const serve = async (handler: Handler) => {
    const connections: number[] = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    server.on('connection', () => connections.push(Date.now()));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections };
  };

  it('sends the method, headers and body, answers with status and text, and keeps the socket for the next request', async () => {
    const seen: { method: string | undefined; key: string | undefined; length: string | undefined; body: string }[] = [];
    const { url, connections } = await serve((req, body, res) => {
      seen.push({ method: req.method, key: req.headers['x-api-key'] as string, length: req.headers['content-length'], body });
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' }).end('{"ok":"é"}');
    });
    const body = JSON.stringify({ note: 'é' });
    expect(await requestText({ method: 'POST', url: `${url}/payment`, headers: { 'x-api-key': 'k' }, body, timeoutMs: 2000 })).toEqual({
      status: 200,
      text: '{"ok":"é"}',
    });
    expect(await requestText({ method: 'GET', url: `${url}/missing`, headers: { 'x-api-key': 'k' }, timeoutMs: 2000 })).toMatchObject({ status: 404 });
    expect(seen).toEqual([
      { method: 'POST', key: 'k', length: String(Buffer.byteLength(body)), body },
      { method: 'GET', key: 'k', length: undefined, body: '' },
    ]);
    expect(connections).toHaveLength(1);
  });

  it('gives up when the answer takes longer than the timeout', async () => {
    const { url } = await serve(() => {
      // never answers
    });
    const started = Date.now();
    await expect(requestText({ method: 'GET', url: `${url}/status`, headers: {}, timeoutMs: 150 })).rejects.toThrow(/within 150 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('retries once on a fresh socket when the kept-alive one is dropped before it answers', async () => {
    const perSocket = new Map<unknown, number>();
    let answered = 0;
    const { url, connections } = await serve((req, _body, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      // A server closing an idle keep-alive socket as the next request arrives on it.
      if (n === 2) return req.socket.destroy();
      answered += 1;
      res.end('ok');
    });
    await requestText({ method: 'GET', url: `${url}/status`, headers: {}, timeoutMs: 2000 });
    expect(await requestText({ method: 'POST', url: `${url}/payment`, headers: {}, body: '{}', timeoutMs: 2000 })).toEqual({ status: 200, text: 'ok' });
    expect(answered).toBe(2);
    expect(connections).toHaveLength(2);
  });

  it('rejects when nothing listens', async () => {
    const { url } = await serve(() => {});
    server!.close();
    await expect(requestText({ method: 'GET', url: `${url}/status`, headers: {}, timeoutMs: 2000 })).rejects.toThrow();
  });
});
