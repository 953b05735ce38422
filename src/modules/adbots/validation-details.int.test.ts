// PUT /api/user/bot through the real app: a body with several problems is one 400 that lists
// every problem with its field path, so the dashboard can show each next to its field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaidOrder } from '../../../test/factories/orders.js';
import { tokenFor } from '../../../test/factories/sessions.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';

describe('PUT /api/user/bot validation details', () => {
  let t: TestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    await setStock(t.ctx, 1);
    const o = await createPaidOrder(t.ctx, { email: 'details@example.com', plan: 'bronze' });
    await fulfilOrder({ ctx: t.ctx, orderId: o.orderId });
    auth = { authorization: `Bearer ${await tokenFor(t.ctx, o.userId)}` };
  });
  afterAll(async () => t?.close());

  it('lists every problem with its path in error.details.issues and keeps the first in error.message', async () => {
    const chats = Array.from({ length: 201 }, (_, i) => `@chat_number_${i}`);
    const res = await t.api('PUT', '/api/user/bot', { post: { type: 'text', text: '   ', buttons: [{ text: '', url: 'http://x.com' }] }, chats }, auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.message).toBe('post.text: write the ad text');
    const issues = res.body.error.details.issues as { path: (string | number)[]; message: string }[];
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ['post', 'text'], message: 'write the ad text' },
        { path: ['post', 'buttons', 0, 'text'], message: 'needs a label' },
        { path: ['post', 'buttons', 0, 'url'], message: 'must be an https:// URL' },
        { path: ['chats'], message: 'at most 200 chats' },
      ]),
    );
  });

  it('gives the path of a bad chat in the list', async () => {
    const res = await t.api('PUT', '/api/user/bot', { chats: ['@good_chat', ''] }, auth);
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual([{ path: ['chats', 1], message: 'is empty' }]);
  });
});
