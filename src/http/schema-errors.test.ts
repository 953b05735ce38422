// A route's zod schema refusing a request is a 400 validation_error naming every problem by its
// path, the same shape a handler's own ZodError gave (errors.ts), not a 500.
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerErrorHandling } from './errors.js';

describe('schema validation errors', () => {
  const app = Fastify();
  beforeAll(async () => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    app.withTypeProvider<ZodTypeProvider>().post(
      '/t/:id',
      {
        schema: {
          params: z.object({ id: z.uuid('must be an order id') }),
          querystring: z.object({ limit: z.coerce.number().int().max(10, 'limit is at most 10').default(5) }),
          body: z.object({ tokens: z.array(z.string().max(3, 'a token is at most 3 characters')).min(1, 'paste at least one token') }),
          response: { 200: z.object({ ok: z.boolean() }) },
        },
      },
      async () => ({ ok: true }),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const id = '6f1c2a9e-3b7d-4c1e-9a2b-1d2e3f4a5b6c';

  it('names each bad body field by its path, array indexes as numbers', async () => {
    const res = await app.inject({ method: 'POST', url: `/t/${id}`, payload: { tokens: ['ok', 'toolong', 'also long'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'validation_error',
        message: 'tokens.1: a token is at most 3 characters',
        details: {
          issues: [
            { path: ['tokens', 1], message: 'a token is at most 3 characters' },
            { path: ['tokens', 2], message: 'a token is at most 3 characters' },
          ],
        },
      },
    });
  });

  it('does the same for params and the query string', async () => {
    const bad = await app.inject({ method: 'POST', url: '/t/nope', payload: { tokens: ['a'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_error', message: 'id: must be an order id', details: { issues: [{ path: ['id'] }] } });
    const page = await app.inject({ method: 'POST', url: `/t/${id}?limit=50`, payload: { tokens: ['a'] } });
    expect(page.statusCode).toBe(400);
    expect(page.json().error.message).toBe('limit: limit is at most 10');
  });

  it('a body-wide problem has an empty path and no "field: " prefix', async () => {
    const res = await app.inject({ method: 'POST', url: `/t/${id}`, payload: [] as unknown as object });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toEqual([]);
    expect(res.json().error.message).not.toMatch(/^: /);
  });
});
