import fc from 'fast-check';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { type BotView, botViewSchema } from '../../shared/api/customer.js';
import { botViewJson, botViewSerializerCompiler } from './bot-view-json.js';

const route = { schema: botViewSchema, method: 'GET', url: '/api/user/bot' };
/** What the route wrote before: zod's check, then JSON.stringify of its output. */
const zodJson = serializerCompiler(route as never) as (data: unknown) => string;
const handJson = botViewSerializerCompiler({ ...route, httpStatus: '200' } as never);

const tricky = 'quote " backslash \\ line\nsep \u2028 tab\t emoji 🚀 </script> \u0000';
const full: BotView = {
  id: '0b8a4c0e-6d0a-4a8e-9b1f-2f0f6c1d2e3a',
  status: 'running',
  planSlug: 'bronze',
  planName: `Bronze ${tricky}`,
  postingIntervalSeconds: 3600,
  senderCount: 2,
  expiresAt: '2027-01-01T00:00:00.000Z',
  senders: [
    {
      id: '1b8a4c0e-6d0a-4a8e-9b1f-2f0f6c1d2e3a',
      username: 'hqadz_demo_01_bot',
      state: 'assigned',
      addToGroupUrl: 'https://t.me/hqadz_demo_01_bot?startgroup=true',
      addToChannelUrl: 'https://t.me/hqadz_demo_01_bot?startchannel=true&admin=post_messages',
    },
    { id: '2b8a4c0e-6d0a-4a8e-9b1f-2f0f6c1d2e3a', username: 'b', state: 'frozen', addToGroupUrl: 'g', addToChannelUrl: 'c' },
  ],
  post: { type: 'text', text: tricky, imageUrl: null, buttons: [{ text: 'Buy', url: 'https://example.com/?a=1&b="2"' }] },
  adError: null,
  chats: [
    {
      ref: '@somechat',
      chatId: '-1001234567890123',
      title: tricky,
      status: 'ok',
      senderUsername: 'hqadz_demo_01_bot',
      lastPostAt: '2026-12-02T10:00:00.123Z',
      nextPostAt: '2026-12-02T11:00:00.123Z',
      lastError: null,
      lastPostUrl: 'https://t.me/somechat/42',
      lastPostUnconfirmed: false,
    },
    {
      ref: '-100999',
      chatId: null,
      title: null,
      status: 'no_access',
      senderUsername: null,
      lastPostAt: null,
      nextPostAt: null,
      lastError: 'Forbidden: bot is not a member',
      lastPostUrl: null,
      lastPostUnconfirmed: true,
    },
  ],
};

describe('the bot view JSON of GET /api/user/bot', () => {
  it('is byte for byte what the zod serializer writes, for a full view with nulls, chats and senders', () => {
    expect(handJson(full)).toBe(zodJson(full));
    const empty: BotView = { ...full, status: 'stopped', senders: [], post: null, adError: 'The image link is dead', chats: [] };
    expect(handJson(empty)).toBe(zodJson(empty));
    const link: BotView = { ...full, post: { type: 'link', link: 'https://t.me/c/1/2', fromChat: '-1001', messageId: 2 } };
    expect(handJson(link)).toBe(zodJson(link));
    expect(JSON.parse(handJson(full))).toEqual(botViewSchema.parse(full));
  });

  it('writes only the schema’s keys, as zod strips the rest (in the view, its lists and the stored ad)', () => {
    const extra = {
      ...full,
      userId: 'not for the browser',
      senders: full.senders.map((x) => ({ ...x, token: 'secret' })),
      post: { ...full.post, internal: true },
      chats: full.chats.map((c) => ({ ...c, adbotId: 'x' })),
    } as unknown as BotView;
    expect(handJson(extra)).toBe(zodJson(extra));
    expect(handJson(extra)).not.toMatch(/secret|internal|adbotId|userId/);
  });

  it('leaves a view that breaks the contract to the zod serializer, which refuses it as before', () => {
    const broken = [
      { ...full, status: 'paused' },
      { ...full, senderCount: 1.5 },
      { ...full, expiresAt: 'yesterday' },
      { ...full, planName: undefined },
      { ...full, post: { type: 'text' } },
      { ...full, senders: [{ ...full.senders[0]!, state: 'lost' }] },
      { ...full, chats: [{ ...full.chats[0]!, lastPostAt: 'soon' }] },
      { ...full, chats: [{ ...full.chats[0]!, lastPostUnconfirmed: null }] },
    ];
    for (const view of broken) {
      expect(botViewJson(view as unknown as BotView)).toBeNull();
      expect(() => handJson(view)).toThrow(/doesn't match the schema/);
    }
  });

  it('agrees with the zod serializer on any view', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    const nullable = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    const view = fc.record({
      id: fc.uuid(),
      status: fc.constantFrom('running', 'stopped', 'expired', 'suspended'),
      planSlug: text,
      planName: text,
      postingIntervalSeconds: fc.integer({ min: 0, max: 1e6 }),
      senderCount: fc.integer({ min: 0, max: 100 }),
      expiresAt: date,
      senders: fc.array(
        fc.record({
          id: fc.uuid(),
          username: text,
          state: fc.constantFrom('unused', 'reserved', 'assigned', 'frozen', 'banned'),
          addToGroupUrl: text,
          addToChannelUrl: text,
        }),
        { maxLength: 3 },
      ),
      post: nullable(
        fc.oneof(
          fc.record(
            { type: fc.constant('text'), text, imageUrl: fc.option(text), buttons: fc.option(fc.array(fc.record({ text, url: text }), { maxLength: 2 })) },
            { requiredKeys: ['type', 'text'] },
          ),
          fc.record({ type: fc.constant('link'), link: text, fromChat: text, messageId: fc.integer() }, { requiredKeys: ['type', 'link'] }),
        ),
      ),
      adError: nullable(text),
      chats: fc.array(
        fc.record({
          ref: text,
          chatId: nullable(text),
          title: nullable(text),
          status: fc.constantFrom('pending', 'ok', 'no_access', 'not_found', 'error'),
          senderUsername: nullable(text),
          lastPostAt: nullable(date),
          nextPostAt: nullable(date),
          lastError: nullable(text),
          lastPostUrl: nullable(text),
          lastPostUnconfirmed: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(view, (v) => {
        expect(handJson(v)).toBe(zodJson(v));
      }),
      { numRuns: 300 },
    );
  });
});
