// One HTTP exchange with the provider over node:http(s) and kept-alive sockets, not global
// fetch: every checkout makes one, and undici's fetch (web streams, abort signals, header
// objects) cost a tenth of the API's CPU per checkout (issue 9), several times a plain request.
import http from 'node:http';
import https from 'node:https';

export type TextRequest = {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  /** The whole exchange, connect to last byte of the body. */
  timeoutMs: number;
};

export type TextResponse = { status: number; text: string };

// Idle sockets are dropped before a typical server's own keep-alive timeout (Node's is 5 s),
// so a request seldom lands on a socket the server is closing; Node also honours the server's
// `Keep-Alive: timeout` hint.
const IDLE_SOCKET_MS = 4000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

/**
 * The status and body text of one request; rejects when the provider cannot be reached or
 * does not answer in time. A kept-alive socket the server closed while idle (the request
 * never reached it) is retried once on a fresh one, as Node's documentation advises.
 */
export async function requestText(request: TextRequest): Promise<TextResponse> {
  try {
    return await exchange(request);
  } catch (err) {
    if (!(err instanceof StaleSocketError)) throw err;
    return exchange(request);
  }
}

class StaleSocketError extends Error {}

function exchange({ method, url, headers, body, timeoutMs }: TextRequest): Promise<TextResponse> {
  const target = new URL(url);
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new Error(`unsupported protocol ${target.protocol}`));
  const transport = target.protocol === 'https:' ? https : http;
  const allHeaders = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };

  return new Promise<TextResponse>((resolve, reject) => {
    let answered = false;
    const req = transport.request(target, { method, agent, headers: allHeaders }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      const stale = !answered && req.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET';
      reject(stale ? new StaleSocketError(err.message) : err);
    }
    req.on('error', fail);
    req.end(body);
  });
}
