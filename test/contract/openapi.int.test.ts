// GET /api/openapi.json is the API's contract: a valid OpenAPI 3.1 document, generated from
// the route schemas, that lists every route with its answer, its auth and its error shapes.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>; security?: unknown[]; tags?: string[] };
type Spec = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** Served by the docs plugins themselves: the document, and the reference page and its assets. */
const hidden = (path: string) => path === '/api/openapi.json' || path === '/api/docs' || path.startsWith('/api/docs/');

/** Every METHOD path the router knows, read off `printRoutes`'s tree, in OpenAPI's `{param}` spelling. */
function registeredRoutes(app: TestApp['app']): string[] {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const at = line.search(/[├└]── /);
    if (at < 0) continue;
    const depth = at / 4;
    const m = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(at + 4))!;
    stack.length = depth;
    const path = (depth ? stack[depth - 1]! : '') + m[1]!;
    stack.push(path);
    for (const method of m[2]?.split(', ') ?? []) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.add(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return [...routes].sort();
}

/** A documented answer: at least one 2xx with a JSON (or text) body schema. */
function hasResponseSchema(op: Operation): boolean {
  return Object.entries(op.responses ?? {}).some(([status, r]) => status.startsWith('2') && Object.values(r.content ?? {}).some((c) => c.schema !== undefined));
}

// SPEC §6 routes, and every admin and reseller route, with who may call them.
const loggedIn = [
  'GET /api/user/status',
  'GET /api/user/stats',
  'GET /api/user/bot',
  'PUT /api/user/bot',
  'POST /api/user/bot/start',
  'POST /api/user/bot/stop',
  'GET /api/user/notifications',
  'GET /api/user/posts',
  'GET /api/user/posts.csv',
];
const anyone = [
  'GET /api/health',
  'GET /api/products',
  'GET /api/payment/currencies',
  'POST /api/payment/create',
  'GET /api/payment/status',
  'POST /api/payment/webhook',
  'POST /api/auth/login',
  'POST /api/auth/checkout',
  'GET /api/health/ready',
  'GET /metrics',
  'POST /api/auth/recover',
  'POST /api/auth/recover/redeem',
  // Ends the session it is sent with, if any: never a 401.
  'POST /api/auth/logout',
];

describe('GET /api/openapi.json', () => {
  let t: TestApp;
  let spec: Spec;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    const res = await t.api('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    spec = res.body as Spec;
  });
  afterAll(async () => t?.close());

  const operation = (route: string): Operation | undefined => {
    const [method, path] = route.split(' ') as [string, string];
    return spec.paths[path]?.[method.toLowerCase()];
  };

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(spec.openapi).toBe('3.1.0');
    const result = await new Validator().validate(spec as never);
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.valid).toBe(true);
  });

  it('lists every route the app serves, each with a response schema', () => {
    const routes = registeredRoutes(t.app).filter((r) => r.includes(' /api/') || r.endsWith(' /metrics'));
    const missing = routes.filter((r) => !hidden(r.split(' ')[1]!) && !operation(r));
    const withoutSchema = routes.filter((r) => operation(r) && !hasResponseSchema(operation(r)!));
    if (missing.length || withoutSchema.length) console.error({ missing, withoutSchema });
    expect(routes.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
    expect(withoutSchema).toEqual([]);
  });

  it('hides only its own routes', () => {
    expect(operation('GET /api/openapi.json')).toBeUndefined();
    expect(Object.keys(spec.paths).filter(hidden)).toEqual([]);
  });

  it('has every SPEC §6, admin and reseller route, with its auth and its error shapes', () => {
    const all = registeredRoutes(t.app);
    const adminAndReseller = all.filter((r) => / \/api\/(admin|reseller)\//.test(r));
    expect(adminAndReseller.length).toBeGreaterThan(25);
    const session = [{ session: [] }, { bearer: [] }];
    const problems: string[] = [];
    for (const route of [...loggedIn, ...adminAndReseller]) {
      const op = operation(route);
      if (!op) problems.push(`${route}: not documented`);
      else {
        if (JSON.stringify(op.security) !== JSON.stringify(session)) problems.push(`${route}: security ${JSON.stringify(op.security)}`);
        for (const status of ['401', '403']) {
          if (!isErrorShape(op.responses?.[status])) problems.push(`${route}: no ${status} error shape`);
        }
      }
    }
    for (const route of anyone) {
      const op = operation(route);
      if (!op) problems.push(`${route}: not documented`);
      else if (!hasResponseSchema(op)) problems.push(`${route}: no response schema`);
    }
    if (problems.length) console.error(problems.join('\n'));
    expect(problems).toEqual([]);
  });

  it('documents the stock list without any token field (SPEC: never a token)', () => {
    const text = JSON.stringify((spec as unknown as { components: unknown }).components) + JSON.stringify(operation('GET /api/admin/senders'));
    expect(text).toContain('telegramBotId');
    expect(text).not.toMatch(/"token(Encrypted)?"\s*:/);
  });

  it('describes errors as the shared {error: {code, message}} shape', () => {
    const op = operation('GET /api/admin/orders')!;
    expect(op.tags).toContain('admin');
    expect(isErrorShape(op.responses?.['400'])).toBe(true);
    expect(isErrorShape(op.responses?.['401'])).toBe(true);
  });
});

function isErrorShape(response: { content?: Record<string, { schema?: unknown }> } | undefined): boolean {
  const schema = response?.content?.['application/json']?.schema as { $ref?: string } | undefined;
  return schema?.$ref === '#/components/schemas/Error';
}
