// The customer-facing routes have one contract: zod schemas on the route validate the input
// (a handler never parses its own), serialise and check the answer, and are the OpenAPI
// document; the web reads the same schemas from src/shared/api.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPaidOrder } from '../../../test/factories/orders.js';
import { adminToken, tokenFor } from '../../../test/factories/sessions.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { payments } from '../../db/schema.js';
import { fulfilOrder } from '../../modules/fulfilment/fulfil-order.js';
import { storedPostSchema } from '../../shared/api/customer.js';
import { errorBodySchema } from '../../shared/api/errors.js';
import { putBotSchema } from '../../shared/bot-config-schema.js';
import { registerErrorHandling } from '../errors.js';

const customerRoutes = [
  ['get', '/api/health'],
  ['get', '/api/meta'],
  ['get', '/api/products'],
  ['get', '/api/payment/currencies'],
  ['post', '/api/payment/create'],
  ['get', '/api/payment/status'],
  ['post', '/api/payment/webhook'],
  ['post', '/api/payment/simulate'],
  ['post', '/api/auth/checkout'],
  ['post', '/api/auth/login'],
  ['post', '/api/auth/logout'],
  ['post', '/api/auth/recover'],
  ['post', '/api/auth/recover/redeem'],
  ['get', '/api/auth/me'],
  ['get', '/api/user/status'],
  ['get', '/api/user/stats'],
  ['get', '/api/user/bot'],
  ['put', '/api/user/bot'],
  ['post', '/api/user/bot/start'],
  ['post', '/api/user/bot/stop'],
  ['post', '/api/user/bot/chats/recheck'],
  ['get', '/api/user/notifications'],
  ['post', '/api/user/notifications/read'],
  ['get', '/api/user/orders'],
  ['get', '/api/user/orders/{orderNumber}/receipt'],
  ['post', '/api/admin/orders/{id}/fulfil'],
] as const;

type Operation = {
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  parameters?: { in: string; name: string }[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

describe('customer routes through the real app', () => {
  let t: TestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    await setStock(t.ctx, 1);
    const o = await createPaidOrder(t.ctx, { email: 'contract@example.com', plan: 'bronze' });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    auth = { authorization: `Bearer ${await tokenFor(t.ctx, o.userId)}` };
    await setStock(t.ctx, 5);
  });
  afterAll(async () => t?.close());

  it('documents every route with its success shape, its error shape, a tag and, when login is needed, its auth', async () => {
    const doc = (await t.api('GET', '/api/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, Operation>> };
    const validator = new Validator();
    const validity = await validator.validate(doc);
    expect(validity.errors ?? [], JSON.stringify(validity.errors)?.slice(0, 500)).toEqual([]);
    expect(validity.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    for (const [method, url] of customerRoutes) {
      const op = doc.paths[url]?.[method];
      expect(op, `${method} ${url}`).toBeDefined();
      expect(op!.tags?.length, `${method} ${url} tags`).toBeGreaterThan(0);
      const codes = Object.keys(op!.responses);
      const success = codes.filter((c) => c.startsWith('2'));
      expect(success.length, `${method} ${url} success`).toBeGreaterThan(0);
      for (const c of success) expect(op!.responses[c]!.content?.['application/json']?.schema, `${method} ${url} ${c}`).toBeTruthy();
      const errors = codes.filter((c) => /^[45]/.test(c));
      expect(errors.length, `${method} ${url} errors`).toBeGreaterThan(0);
      for (const c of errors)
        expect(op!.responses[c]!.content?.['application/json']?.schema, `${method} ${url} ${c}`).toEqual({ $ref: '#/components/schemas/Error' });
      if (url.startsWith('/api/user/') || url === '/api/auth/me' || url.startsWith('/api/admin/')) {
        expect(op!.security, `${method} ${url} security`).toEqual([{ session: [] }, { bearer: [] }]);
      }
    }
    // Inputs are documented from the same schemas that validate them.
    expect(doc.paths['/api/payment/create']!.post!.requestBody).toBeTruthy();
    expect(doc.paths['/api/user/bot']!.put!.requestBody).toBeTruthy();
    expect(doc.paths['/api/payment/webhook']!.post!.requestBody).toBeTruthy();
    expect(doc.paths['/api/payment/status']!.get!.parameters?.map((p) => [p.in, p.name])).toEqual([['query', 'paymentId']]);
    expect(doc.paths['/api/admin/orders/{id}/fulfil']!.post!.parameters?.map((p) => [p.in, p.name])).toEqual([['path', 'id']]);
  });

  it.each([
    ['POST', '/api/auth/login', undefined, ['accessCode']],
    ['POST', '/api/auth/login', { accessCode: '   ' }, ['accessCode']],
    ['POST', '/api/auth/checkout', {}, ['checkoutSecret']],
    ['POST', '/api/auth/recover', { email: 'nope' }, ['email']],
    ['POST', '/api/auth/recover/redeem', {}, ['token']],
    ['POST', '/api/payment/create', { email: 'a@example.com', currency: 'btc' }, ['productId']],
    ['GET', '/api/payment/status', undefined, ['paymentId']],
    ['POST', '/api/payment/simulate', { paymentId: '1', status: 'paid' }, ['status']],
  ] as const)('%s %s %j is a 400 validation_error naming each field', async (method, url, body, fields) => {
    const res = await t.api(method, url, body);
    expect(res.status).toBe(400);
    expect(errorBodySchema.parse(res.body).error.code).toBe('validation_error');
    expect(res.body.error.details.issues.map((i: { path: unknown[] }) => i.path[0])).toEqual(fields);
    expect(res.body.error.message).toMatch(new RegExp(`^${fields[0]}: `));
  });

  it('judges a path parameter by its schema, after the role check', async () => {
    expect((await t.api('POST', '/api/admin/orders/not-an-id/fulfil')).status).toBe(401);
    const admin = { authorization: `Bearer ${await adminToken(t.ctx)}` };
    const res = await t.api('POST', '/api/admin/orders/not-an-id/fulfil', undefined, admin);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'validation_error',
      message: 'id: must be an order id',
      details: { issues: [{ path: ['id'], message: 'must be an order id' }] },
    });
  });

  it('keeps array indexes as numbers in the issues of PUT /api/user/bot', async () => {
    const res = await t.api('PUT', '/api/user/bot', { chats: ['@good_chat', '@ab'] }, auth);
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([{ path: ['chats', 1], message: '"@ab" is not a valid Telegram username' }]);
    expect(res.body.error.message).toBe('chats.1: "@ab" is not a valid Telegram username');
  });

  it('drops fields the contract does not name: a client price is ignored', async () => {
    const res = await t.api('POST', '/api/payment/create', { email: 'price@example.com', slug: 'bronze', currency: 'btc', priceUsd: 1, amount: 1 });
    expect(res.status).toBe(201);
    expect(res.body.priceUsd).toBe(30);
  });

  it('answers a twin checkout still creating its invoice with 409 payment_in_progress', async () => {
    const email = 'twin@example.com';
    const first = await t.api('POST', '/api/payment/create', { email, slug: 'bronze', currency: 'ltc' });
    expect(first.status).toBe(201);
    // As if the first request were still waiting for the provider's invoice.
    await t.ctx.db.update(payments).set({ status: 'creating', createdAt: new Date() }).where(eq(payments.providerPaymentId, first.body.paymentId));
    const twin = await t.api('POST', '/api/payment/create', { email, slug: 'bronze', currency: 'ltc' });
    expect(twin.status).toBe(409);
    expect(twin.body.error.code).toBe('payment_in_progress');
  });

  it('sends dates as ISO strings, as the response schemas say', async () => {
    const bot = await t.api('GET', '/api/user/bot', undefined, auth);
    expect(bot.status).toBe(200);
    expect(bot.body.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const status = await t.api('GET', '/api/user/status', undefined, auth);
    expect(status.body).toMatchObject({ planStatus: 'active', expiresAt: bot.body.expiresAt });
  });
});

describe('the route compilers and error mapping (a tiny app)', () => {
  async function tinyApp() {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    let handled = 0;
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.put('/bot', { schema: { body: putBotSchema, response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => {
      handled++;
      return { ok: true as const };
    });
    // A handler whose answer breaks its own contract.
    r.get('/broken', { schema: { response: { 200: z.object({ when: z.iso.datetime() }) } } }, async () => ({ when: 'yesterday' }));
    await app.ready();
    return { app, handled: () => handled };
  }

  it('refuses a bad body in the schema: the handler never runs', async () => {
    const { app, handled } = await tinyApp();
    const res = await app.inject({ method: 'PUT', url: '/bot', payload: { post: { type: 'text', text: ' ' }, chats: ['@ab'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'validation_error',
      message: 'post.text: write the ad text',
      details: {
        issues: [
          { path: ['post', 'text'], message: 'write the ad text' },
          { path: ['chats', 0], message: '"@ab" is not a valid Telegram username' },
        ],
      },
    });
    expect(handled()).toBe(0);
    expect((await app.inject({ method: 'PUT', url: '/bot', payload: { chats: ['@good_chat'] } })).statusCode).toBe(200);
    expect(handled()).toBe(1);
    await app.close();
  });

  it('turns an answer that does not match its schema into a 500, not a broken body', async () => {
    const { app } = await tinyApp();
    const res = await app.inject({ method: 'GET', url: '/broken' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal', message: 'Something went wrong on our side' } });
    await app.close();
  });
});

describe('no handler parses its own input; the web uses the shared schemas', () => {
  const root = path.resolve(import.meta.dirname, '../../..');
  const read = (p: string) => readFileSync(path.join(root, p), 'utf8');

  it.each(['catalog', 'checkout', 'payments', 'accounts', 'adbots', 'fulfilment'])(
    'src/http/routes/%s.ts reads req.body/query/params only as validated',
    (name) => {
      const src = read(`src/http/routes/${name}.ts`);
      expect(src).not.toMatch(/\.(safe)?parse\(\s*req\./);
      expect(src).not.toMatch(/from 'zod'/);
    },
  );

  it('the web api files declare no schema of their own, and import the contract', async () => {
    for (const feature of ['pricing', 'checkout', 'auth', 'dashboard']) {
      const dir = `web/features/${feature}/api`;
      for (const file of readdirSync(path.join(root, dir))) {
        const src = read(`${dir}/${file}`);
        expect(src, `${dir}/${file}`).not.toMatch(/from 'zod'/);
      }
    }
    const { postSchema } = await import('../../../web/features/dashboard/api/get-bot.js');
    expect(postSchema).toBe(storedPostSchema);
    for (const file of ['dashboard/api/get-bot.ts', 'dashboard/api/get-user-status.ts', 'checkout/api/get-payment-status.ts', 'auth/api/login.ts']) {
      expect(read(`web/features/${file}`), file).toMatch(/from '\.\.\/\.\.\/\.\.\/\.\.\/src\/shared\/api\//);
    }
  });
});
