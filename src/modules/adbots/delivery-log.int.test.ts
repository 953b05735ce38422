// The delivery log, GET /api/user/posts and /api/user/posts.csv, over real HTTP and a real database.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyPlan } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { posts, senders, targetChats } from '../../db/schema.js';
import { exportDeliveriesCsv } from './export-deliveries-csv.js';

type Auth = Record<string, string>;
type Seed = { chat: string; at: string; status: 'sent' | 'failed' | 'unconfirmed' | 'sending'; error?: string; url?: string; due?: string };

// Alice's history. Three posts share one claim instant (a claim batch does) and two differ by a
// microsecond, so a page edge falls inside a tie and inside one millisecond.
const aliceSeeds: Seed[] = [
  { chat: '@alpha_group', at: '2025-03-01T10:00:00.000000Z', status: 'sent', url: 'https://t.me/alpha_group/1', due: '2025-03-01T09:59:59.500000Z' },
  { chat: '@beta_group', at: '2025-03-01T10:30:00.000000Z', status: 'failed', error: 'Bad Request: need administrator rights, "admins", =1+2' },
  { chat: '@alpha_group', at: '2025-03-02T10:00:00.000000Z', status: 'sent', url: 'https://t.me/alpha_group/2' },
  { chat: '@beta_group', at: '2025-03-02T10:00:00.000000Z', status: 'unconfirmed' },
  { chat: '@alpha_group', at: '2025-03-02T10:00:00.000000Z', status: 'failed', error: 'line one\nline two' },
  { chat: '@beta_group', at: '2025-03-03T10:00:00.123456Z', status: 'sent', url: 'https://t.me/beta_group/7' },
  { chat: '@alpha_group', at: '2025-03-03T10:00:00.123457Z', status: 'sending' },
];

describe('delivery log', () => {
  let t: TestApp;
  let alice: { auth: Auth; adbotId: string; userId: string };
  let bob: { auth: Auth; adbotId: string };
  let aliceOrder: { id: string; at: string }[];

  async function seed(adbotId: string, seeds: Seed[]) {
    const [sender] = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, adbotId)).limit(1);
    const chats = await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, adbotId));
    // Posts with chosen times, results and Telegram texts: no use case makes a history to order.
    const rows = await t.ctx.db
      .insert(posts)
      .values(
        seeds.map((s, i) => ({
          adbotId,
          targetChatId: chats.find((c) => c.ref === s.chat)!.id,
          senderId: sender!.id,
          slot: i + 1,
          status: s.status,
          error: s.error ?? null,
          messageUrl: s.url ?? null,
          createdAt: sql`${s.at}::timestamptz`,
          dueAt: s.due ? sql`${s.due}::timestamptz` : null,
          sentAt: s.status === 'sent' ? sql`${s.at}::timestamptz + interval '1 second'` : null,
        })),
      )
      .returning({ id: posts.id });
    return rows.map((r, i) => ({ id: r.id, at: seeds[i]!.at }));
  }

  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    await setStock(t.ctx, 4);
    alice = await buyPlan(t, { email: 'log-alice@example.com', plan: 'bronze' });
    bob = await buyPlan(t, { email: 'log-bob@example.com', plan: 'bronze' });
    expect((await t.api('PUT', '/api/user/bot', { chats: ['@alpha_group', '@beta_group'] }, alice.auth)).status).toBe(200);
    // Bob lists a chat with the same name: filtering by it must still show only his posts.
    expect((await t.api('PUT', '/api/user/bot', { chats: ['@alpha_group'] }, bob.auth)).status).toBe(200);
    await t.ctx.db
      .update(targetChats)
      .set({ title: '=HYPERLINK("http://evil.example","win")' })
      .where(and(eq(targetChats.adbotId, alice.adbotId), eq(targetChats.ref, '@beta_group')));
    const seeded = await seed(alice.adbotId, aliceSeeds);
    // Newest first; a tie on the instant goes to the larger id.
    aliceOrder = [...seeded].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
    await seed(bob.adbotId, [
      { chat: '@alpha_group', at: '2025-03-02T12:00:00.000000Z', status: 'sent', url: 'https://t.me/alpha_group/99' },
      { chat: '@alpha_group', at: '2025-03-04T12:00:00.000000Z', status: 'failed', error: 'Forbidden: bot was kicked' },
    ]);
  });
  afterAll(async () => t?.close());

  async function walk(auth: Auth, query: string, limit: number) {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.api('GET', `/api/user/posts?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, auth);
      expect(res.status).toBe(200);
      expect(res.body.posts.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.posts.map((p: { id: string }) => p.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    return { ids, pages };
  }

  it('refuses anonymous callers with 401, before reading the query', async () => {
    for (const path of ['/api/user/posts', '/api/user/posts.csv', '/api/user/posts?limit=oops']) {
      const res = await t.api('GET', path);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('pages newest first by cursor, through ties and microseconds, each post exactly once', async () => {
    for (const limit of [1, 2, 3, 7, 100]) {
      const { ids, pages } = await walk(alice.auth, '', limit);
      expect(ids).toEqual(aliceOrder.map((p) => p.id));
      expect(pages).toBe(Math.max(1, Math.ceil(aliceSeeds.length / limit)));
    }
    const first = await t.api('GET', '/api/user/posts?limit=2', undefined, alice.auth);
    expect(first.body.posts[0]).toEqual({
      id: aliceOrder[0]!.id,
      at: '2025-03-03T10:00:00.123Z',
      dueAt: null,
      chatRef: '@alpha_group',
      chatTitle: null,
      botUsername: expect.stringMatching(/_bot$/),
      result: 'sending',
      error: null,
      url: null,
    });
    const oldest = (await t.api('GET', '/api/user/posts?limit=100', undefined, alice.auth)).body.posts.at(-1);
    // Sent: the time is Telegram's answer, and the due time is kept.
    expect(oldest).toMatchObject({ at: '2025-03-01T10:00:01.000Z', dueAt: '2025-03-01T09:59:59.500Z', url: 'https://t.me/alpha_group/1' });
  });

  it('filters by chat, result and dates, alone and together', async () => {
    const list = async (q: string) =>
      (await t.api('GET', `/api/user/posts?limit=100${q}`, undefined, alice.auth)).body.posts as { chatRef: string; result: string; url: string | null }[];
    expect((await list('&chat=%40beta_group')).map((p) => p.chatRef)).toEqual(['@beta_group', '@beta_group', '@beta_group']);
    expect((await list('&result=failed')).map((p) => p.result)).toEqual(['failed', 'failed']);
    expect(await list('&from=2025-03-02T00:00:00Z&to=2025-03-03T00:00:00Z')).toHaveLength(3);
    // `to` is exclusive, `from` inclusive.
    expect(await list('&from=2025-03-02T10:00:00Z&to=2025-03-03T10:00:00.123456Z')).toHaveLength(3);
    expect((await list('&chat=%40alpha_group&result=sent&from=2025-03-02T00:00:00Z')).map((p) => p.url)).toEqual(['https://t.me/alpha_group/2']);
    expect(await list('&chat=%40nobody_here')).toEqual([]);
    const { ids } = await walk(alice.auth, '&result=sent', 1);
    expect(ids).toHaveLength(3);
  });

  it("never shows another customer's posts, whatever the filter or cursor", async () => {
    const bobs = await walk(bob.auth, '', 1);
    expect(bobs.ids).toHaveLength(2);
    expect(bobs.ids.some((id) => aliceOrder.some((p) => p.id === id))).toBe(false);
    const sameName = (await t.api('GET', '/api/user/posts?chat=%40alpha_group', undefined, bob.auth)).body.posts;
    expect(sameName.map((p: { url: string | null }) => p.url)).toEqual([null, 'https://t.me/alpha_group/99']);
    // Alice's cursor carries a time and an id, not an owner: in Bob's hands it pages Bob's posts.
    const aliceCursor = (await t.api('GET', '/api/user/posts?limit=1', undefined, alice.auth)).body.nextCursor;
    const withIt = await t.api('GET', `/api/user/posts?cursor=${encodeURIComponent(aliceCursor)}`, undefined, bob.auth);
    expect(withIt.body.posts.map((p: { id: string }) => p.id)).toEqual([bobs.ids[1]]);
    const csv = await t.api('GET', '/api/user/posts.csv', undefined, bob.auth);
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('answers bad queries with 400 and a message', async () => {
    for (const q of ['limit=101', 'limit=0', 'result=delivered', 'from=yesterday', 'cursor=bm9wZQ', `cursor=${'x'.repeat(201)}`]) {
      const res = await t.api('GET', `/api/user/posts?${q}`, undefined, alice.auth);
      expect(res.status, q).toBe(400);
      expect(res.body.error.message, q).toBeTruthy();
    }
    expect((await t.api('GET', '/api/user/posts.csv?result=delivered', undefined, alice.auth)).status).toBe(400);
  });

  it('downloads the CSV: attachment, RFC 4180 quoting, formulas defused, same filters', async () => {
    const res = await fetch(`${t.url}/api/user/posts.csv?result=failed`, { headers: alice.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="hqadz-delivery-log-\d{4}-\d\d-\d\d\.csv"$/);
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(body.startsWith('\uFEFFtime_utc,due_utc,chat,chat_title,bot_username,result,error,link\r\n')).toBe(true);
    const lines = body.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(4);
    // The newest failure: an error with a line break stays one quoted cell.
    expect(lines[1]).toMatch(/^2025-03-02T10:00:00\.000Z,,'@alpha_group,,c_stock_\w+_bot,failed,"line one\nline two",$/);
    // Quotes doubled; the title that is a formula, and the @ref, start with a quote mark.
    expect(lines[2]).toMatch(
      /^2025-03-01T10:30:00\.000Z,,'@beta_group,"'=HYPERLINK\(""http:\/\/evil\.example"",""win""\)",c_stock_\w+,failed,"Bad Request: need administrator rights, ""admins"", =1\+2",$/,
    );
    const all = await (await fetch(`${t.url}/api/user/posts.csv`, { headers: alice.auth })).text();
    expect(all).toContain(',sent,,https://t.me/beta_group/7\r\n');
    expect(all.split('\r\n').filter(Boolean)).toHaveLength(aliceSeeds.length + 1);
  });

  it('streams the CSV a page at a time and stops at the row bound', async () => {
    const chunks: string[] = [];
    const csv = await exportDeliveriesCsv({ db: t.ctx.db, userId: alice.userId, filter: {}, pageSize: 2, maxRows: 5 });
    for await (const chunk of csv) chunks.push(chunk);
    // The header, then pages of 2, 2 and 1.
    expect(chunks.map((c) => c.split('\r\n').length - 1)).toEqual([1, 2, 2, 1]);
    const whole = await (await fetch(`${t.url}/api/user/posts.csv`, { headers: alice.auth })).text();
    // (text() drops the byte-order mark.)
    expect(chunks.join('').slice(1)).toBe(`${whole.split('\r\n').slice(0, 6).join('\r\n')}\r\n`);
  });
});

describe('csvCell', () => {
  it('quotes per RFC 4180 and prefixes formula starts', async () => {
    const { csvCell } = await import('./export-deliveries-csv.js');
    expect(csvCell(null)).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(s).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
  });
});
