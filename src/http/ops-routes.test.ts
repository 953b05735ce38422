// Request ids, the one request log line, ids bound to every log line of a request, redaction.
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { bindLogContext, currentRequestId } from '../lib/log-context.js';
import { createLogger } from '../lib/logger.js';
import type { AppContext } from '../platform/app-context.js';
import { registerErrorHandling } from './errors.js';
import { OpsLogController, opsRoutes, requestIdFor } from './ops-routes.js';

async function harness(logRequests: 'errors' | 'all' = 'errors') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  const log = createLogger('info', sink);
  const ctx = { config: { logRequests, metricsToken: undefined }, log, database: { kind: 'embedded' } } as unknown as AppContext;
  const app = Fastify({ loggerInstance: log as FastifyBaseLogger, genReqId: requestIdFor, logController: new OpsLogController() });
  registerErrorHandling(app);
  await opsRoutes(app, ctx);
  app.get('/api/admin/orders/:id', async () => {
    await new Promise((r) => setTimeout(r, 5));
    ctx.log.info('inside the use case');
    bindLogContext({ paymentId: 'pay-7' });
    ctx.log.warn({ accessCode: 'HQ-SECRET-CODE', headers: { authorization: 'Bearer abc', cookie: 'hq_session=abc' } }, 'after binding');
    return { requestId: currentRequestId() };
  });
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  await app.ready();
  return { app, lines };
}

describe('ops routes: request ids and request logs', () => {
  it('generates a request id, returns it, and binds it (and the order id) into every log line of the request', async () => {
    const { app, lines } = await harness();
    const res = await app.inject({ method: 'GET', url: '/api/admin/orders/ord-1' });
    expect(res.statusCode).toBe(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json()).toEqual({ requestId: id });
    const inside = lines.find((l) => l.msg === 'inside the use case');
    expect(inside).toMatchObject({ requestId: id, orderId: 'ord-1' });
    expect(lines.find((l) => l.msg === 'after binding')).toMatchObject({ requestId: id, orderId: 'ord-1', paymentId: 'pay-7' });
  });

  it("honours a sane caller's x-request-id and replaces an unusable one", async () => {
    const { app } = await harness();
    const given = await app.inject({ method: 'GET', url: '/api/admin/orders/x', headers: { 'x-request-id': 'lb-1234.abc' } });
    expect(given.headers['x-request-id']).toBe('lb-1234.abc');
    const junk = await app.inject({ method: 'GET', url: '/api/admin/orders/x', headers: { 'x-request-id': `a b\u0007${'x'.repeat(300)}` } });
    expect(junk.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes one request line at info only for errors (LOG_REQUESTS=errors), for every request with LOG_REQUESTS=all', async () => {
    const quiet = await harness('errors');
    await quiet.app.inject({ method: 'GET', url: '/api/admin/orders/ord-1' });
    await quiet.app.inject({ method: 'GET', url: '/api/nope?token=abc' });
    await quiet.app.inject({ method: 'GET', url: '/boom' });
    const requestLines = quiet.lines.filter((l) => typeof l.status === 'number');
    expect(requestLines.map((l) => [l.status, l.level, l.route])).toEqual([
      [404, 30, 'unmatched'],
      [500, 50, '/boom'],
    ]);
    // Never the query string (tokens travel there), and no Fastify "incoming request" pairs.
    expect(JSON.stringify(quiet.lines)).not.toContain('token=abc');
    expect(quiet.lines.some((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toBe(false);

    const loud = await harness('all');
    await loud.app.inject({ method: 'GET', url: '/api/admin/orders/ord-1' });
    expect(loud.lines.filter((l) => l.status === 200)).toMatchObject([{ level: 30, route: '/api/admin/orders/:id', orderId: 'ord-1' }]);
  });

  it('redacts access codes, authorization headers and cookies', async () => {
    const { app, lines } = await harness();
    await app.inject({ method: 'GET', url: '/api/admin/orders/ord-1' });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('HQ-SECRET-CODE');
    expect(text).not.toContain('Bearer abc');
    expect(text).not.toContain('hq_session=abc');
    expect(lines.find((l) => l.msg === 'after binding')).toMatchObject({
      accessCode: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
    });
  });
});
