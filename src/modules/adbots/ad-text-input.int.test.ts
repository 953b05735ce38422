// PUT /api/user/bot through the real app: ad text that once threw inside validation (a
// numeric character reference past U+10FFFF) is a 400 naming the problem, and no body of
// any shape — odd references, lone surrogates, broken tags — is ever a 5xx.
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaidOrder } from '../../../test/factories/orders.js';
import { tokenFor } from '../../../test/factories/sessions.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { adbots } from '../../db/schema.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';

describe('PUT /api/user/bot with hostile ad text', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  let adbotId: string;

  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    await setStock(t.ctx, 1);
    const o = await createPaidOrder(t.ctx, { email: 'entities@example.com', plan: 'bronze' });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    adbotId = (await t.ctx.db.select().from(adbots).where(eq(adbots.userId, o.userId)))[0]!.id;
    auth = { authorization: `Bearer ${await tokenFor(t.ctx, o.userId)}` };
  });
  afterAll(async () => t?.close());

  it.each(['&#99999999;', '&#x110000;'])('answers a link holding %s with 400 naming it, and saves nothing', async (ref) => {
    const res = await t.api('PUT', '/api/user/bot', { post: { type: 'text', text: `<a href="https://x.com/${ref}">x</a>` } }, auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.message).toBe(
      `post.text: has "${ref}", which is not a valid character code: remove it, or write &amp;${ref.slice(1)} to show it as typed`,
    );
    expect((await t.ctx.db.select().from(adbots).where(eq(adbots.id, adbotId)))[0]!.post).toBeNull();
  });

  it('never answers 5xx, whatever mix of text, entities, tags, links and surrogates is sent', async () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.constantFrom('<b>', '</b>', '<a href="', '">', '</a>', '&amp;', '&#', '&#x', ';', '\ud800', '\udc00', '😀', '<i', '>', '&nbsp;'),
      fc.bigInt({ min: 0n, max: 10n ** 30n }).map((n) => `&#${n};`),
      fc.bigInt({ min: 0n, max: 16n ** 12n }).map((n) => `&#x${n.toString(16)};`),
      fc.webUrl().map((u) => `<a href="${u}">l</a>`),
      fc.bigInt({ min: 0n, max: 10n ** 12n }).map((n) => `<a href="https://x.com/&#${n};">l</a>`),
    );
    const text = fc.array(piece, { minLength: 1, maxLength: 12 }).map((p) => p.join(''));
    const body = fc.oneof(
      fc.record({ post: fc.record({ type: fc.constant('text'), text }) }),
      fc.record({ post: fc.record({ type: fc.constant('text'), text, buttons: fc.array(fc.record({ text, url: fc.webUrl() }), { maxLength: 2 }) }) }),
      fc.record({ chats: fc.array(text, { maxLength: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const res = await t.api('PUT', '/api/user/bot', input, auth);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
