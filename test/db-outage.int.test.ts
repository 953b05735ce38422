// Issue 7.3: a database outage (refused, black-holed, frozen) while IPNs arrive and posts go
// out. The real entry point runs as a child process behind a TCP proxy we cut; it must stay
// up, answer 503 quickly while the database is gone, and resume jobs and posting after.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ProxyMode, startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';
import { createServerDatabase } from './helpers/test-app.js';

const serverUrl = process.env.DATABASE_URL;
/** Shorter than the 30 s so the suite stays fast; longer than every timeout below. */
const OUTAGE_MS = Number(process.env.TEST_DB_OUTAGE_MS ?? 5000);
/** What "back within 10 s of the database's return" means. */
const RECOVERY_MS = 10_000;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

describe.skipIf(!serverUrl)('database outage (PostgreSQL behind a TCP proxy)', () => {
  let db: { url: string; drop(): Promise<void> };
  let proxy: TcpProxy;
  let child: ChildProcess;
  let exited: { code: number | null; signal: string | null } | null = null;
  let stderr = '';
  let client: pg.Client;
  let blocker: pg.Client;
  let ip = 0;
  let base = '';

  const post = (p: string, body: unknown, timeoutMs = 15_000) =>
    fetch(base + p, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${(ip++ % 250) + 1}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });

  const checkout = async () => {
    const res = await post('/api/payment/create', { email: `outage${ip}@example.com`, slug: 'bronze', currency: 'btc' });
    if (res.status !== 201) throw new Error(`checkout ${res.status} ${await res.text()}`);
    return ((await res.json()) as { paymentId: string; orderId?: string }).paymentId;
  };
  const orderStatus = async (paymentId: string) => {
    const { rows } = await client.query(`select o.status from orders o join payments p on p.order_id = o.id where p.provider_payment_id = $1`, [paymentId]);
    return rows[0]?.status as string | undefined;
  };

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    db = await createServerDatabase(serverUrl!);
    const target = new URL(serverUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    // Timeouts well inside the outage, so "fails fast" is told apart from "waits it out".
    const viaProxy = new URL(proxy.urlFor(db.url));
    viaProxy.searchParams.set('connect_timeout', '1');
    viaProxy.searchParams.set('query_timeout', '1500');
    viaProxy.searchParams.set('statement_timeout', '1500');
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'all'], {
      env: {
        ...process.env,
        DATABASE_URL: viaProxy.toString(),
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'hqadz-outage-')),
        PORT: String(port),
        PUBLIC_URL: base,
        JWT_SECRET: randomBytes(32).toString('hex'),
        ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        ADMIN_ACCESS_CODE: 'HQ-OUTAGE-ADMIN-CODE-01',
        JOB_POLL_SECONDS: '0.5',
        LOG_LEVEL: 'warn',
        TRUST_PROXY: 'true',
        RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.once('exit', (code, signal) => {
      exited = { code, signal };
    });
    await vi.waitFor(
      async () => {
        expect(exited, 'the app exited').toBeNull();
        expect((await fetch(`${base}/api/health`)).ok, 'app start').toBe(true);
      },
      { timeout: 60_000, interval: 100 },
    );
    // Straight to the server, not through the proxy.
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();

    // One running adbot on a sandbox sender, posting into one chat every 3 s.
    const paymentId = await checkout();
    await post('/api/payment/simulate', { paymentId, status: 'finished' });
    await vi.waitFor(async () => expect(await orderStatus(paymentId), 'first order').toBe('fulfilled'), { timeout: 20_000, interval: 100 });
    const { rows } = await client.query(
      `select a.id as adbot_id, s.id as sender_id from adbots a join senders s on s.adbot_id = a.id and s.state = 'assigned' limit 1`,
    );
    const { adbot_id, sender_id } = rows[0];
    await client.query(`update adbots set status = 'running', posting_interval_seconds = 3, post = '{"type":"text","text":"Outage sale"}' where id = $1`, [
      adbot_id,
    ]);
    await client.query(
      `insert into target_chats (adbot_id, ref, chat_id, chat_type, sender_id, status, position) values ($1, '-1001999000111', -1001999000111, 'supergroup', $2, 'ok', 0)`,
      [adbot_id, sender_id],
    );
    await vi.waitFor(async () => expect((await client.query(`select 1 from posts where status = 'sent'`)).rowCount, 'first post').toBeGreaterThan(0), {
      timeout: 20_000,
      interval: 100,
    });
  });

  afterAll(async () => {
    await proxy?.set('pass');
    if (child && exited === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
      if (exited === null) child.kill('SIGKILL');
    }
    await client?.end();
    await blocker?.end();
    await proxy?.close();
    await db?.drop();
  });

  it.each<ProxyMode>(['refuse', 'black-hole', 'freeze'])(
    'survives a %s outage: 503s during it, fulfils and posts again right after',
    async (mode) => {
      // IPN load at the cut: paid orders whose fulfil-order jobs run while the database goes
      // away. One of them is held mid-transaction (its customer row locked here), so a job is
      // surely in flight at the cut and pg-boss's unawaited fail() meets the dead database.
      const loaded = await Promise.all([1, 2, 3].map(() => checkout()));
      const held = (await client.query(`select o.user_id from orders o join payments p on p.order_id = o.id where p.provider_payment_id = $1`, [loaded[0]]))
        .rows[0].user_id;
      await blocker.query('begin');
      await blocker.query('select id from users where id = $1 for update', [held]);
      await Promise.all(loaded.map((paymentId) => post('/api/payment/simulate', { paymentId, status: 'finished' })));
      await vi.waitFor(
        async () =>
          expect(
            (await client.query(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rowCount,
            'a fulfilment in flight',
          ).toBeGreaterThan(0),
        { timeout: 10_000, interval: 100 },
      );

      await proxy.set(mode);
      const cutAt = Date.now();
      // Requests during the cut end with a JSON 503 while the database is still gone: no hang.
      const during = await Promise.all([
        fetch(`${base}/api/products`, { signal: AbortSignal.timeout(OUTAGE_MS * 3) }),
        post('/api/payment/simulate', { paymentId: loaded[0], status: 'finished' }, OUTAGE_MS * 3),
        post('/api/payment/create', { email: 'during@example.com', slug: 'bronze', currency: 'btc' }, OUTAGE_MS * 3),
      ]);
      // No hang: these answered while the database was still gone (it comes back only below,
      // after they resolved; a request waiting for it would have hit its abort timeout instead).
      for (const res of during) {
        expect(res.status).toBe(503);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
      }
      await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - cutAt))));
      await blocker.query('commit');
      expect(exited, `the app exited during the outage: ${stderr}`).toBeNull();

      await proxy.set('pass');
      const restoredAt = new Date();
      // Paid orders get fulfilled: those paid at the cut, and one paid after the return.
      const fresh = await vi.waitFor(() => checkout(), { timeout: RECOVERY_MS, interval: 100 });
      await post('/api/payment/simulate', { paymentId: fresh, status: 'finished' });
      await vi.waitFor(async () => expect(await orderStatus(fresh), 'an order paid after the return').toBe('fulfilled'), {
        timeout: RECOVERY_MS,
        interval: 100,
      });
      // Posting resumes.
      await vi.waitFor(
        async () =>
          expect(
            (await client.query(`select 1 from posts where status = 'sent' and sent_at > $1`, [restoredAt])).rowCount,
            'a post after the return',
          ).toBeGreaterThan(0),
        { timeout: RECOVERY_MS, interval: 100 },
      );
      expect(exited, `the app exited: ${stderr}`).toBeNull();
      // The other orders paid at the cut are fulfilled too. (The held one's job died with the
      // connection; pg-boss retries it after its expiry, or the fulfilment watchdog does.)
      await vi.waitFor(
        async () => {
          for (const paymentId of loaded.slice(1)) expect(await orderStatus(paymentId), 'an order paid at the cut').toBe('fulfilled');
        },
        { timeout: RECOVERY_MS, interval: 100 },
      );
    },
    90_000,
  );
});
