// SPEC §8 scale-out: one API process and two worker processes on one PostgreSQL server.
// Every paid order is fulfilled exactly once, whichever worker picks it up.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServerDatabase } from './helpers/test-app.js';

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)('scale-out on PostgreSQL (api + 2 workers)', () => {
  const children: ChildProcess[] = [];
  let db: { url: string; drop(): Promise<void> };
  let client: pg.Client;
  const port = 3300 + Math.floor(Math.random() * 200);
  const base = `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    db = await createServerDatabase(serverUrl!);
    const env = {
      ...process.env,
      DATABASE_URL: db.url,
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'hqadz-scale-')),
      PORT: String(port),
      PUBLIC_URL: base,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      ADMIN_ACCESS_CODE: 'HQ-SCALE-OUT-ADMIN-CODE',
      JOB_POLL_SECONDS: '0.5',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
    };
    const tsx = path.resolve('node_modules/.bin/tsx');
    // Start them together: migrations, seeding and queue creation must cope with racing processes.
    for (const role of ['api', 'worker', 'worker']) {
      children.push(spawn(tsx, ['src/main.ts', role], { env, stdio: ['ignore', 'ignore', 'inherit'] }));
    }
    await vi.waitFor(async () => expect((await fetch(`${base}/api/health`)).ok, 'api process').toBe(true), { timeout: 60_000, interval: 100 });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await client?.end();
    await db?.drop();
  });

  it('fulfils every paid order exactly once across workers', async () => {
    const payments: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${base}/api/payment/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 1}` },
        body: JSON.stringify({ email: `scale${i}@example.com`, slug: 'bronze', currency: 'btc' }),
      });
      expect(res.status).toBe(201);
      payments.push(((await res.json()) as { paymentId: string }).paymentId);
    }
    // Deliver each `finished` twice, concurrently: a duplicate IPN must not fulfil twice.
    await Promise.all(
      payments.flatMap((paymentId) =>
        [1, 2].map(() =>
          fetch(`${base}/api/payment/simulate`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ paymentId, status: 'finished' }),
          }),
        ),
      ),
    );
    await vi.waitFor(
      async () => {
        const { rows } = await client.query(`select count(*)::int as n from orders where status = 'fulfilled'`);
        expect(rows[0].n, 'fulfilled orders').toBe(6);
      },
      { timeout: 60_000, interval: 100 },
    );
    const bots = await client.query(
      `select a.id, count(s.id)::int as senders from adbots a left join senders s on s.adbot_id = a.id and s.state = 'assigned' group by a.id`,
    );
    expect(bots.rows).toHaveLength(6);
    expect(bots.rows.every((r) => r.senders === 1)).toBe(true);
    // Each buyer gets one receipt (queued with the payment) and one access-code email (fulfilment): never two of either.
    const mails = await client.query(
      `select to_address, count(*) filter (where dedupe_key like '%:receipt')::int as receipts, count(*) filter (where dedupe_key not like '%:receipt' or dedupe_key is null)::int as n from emails group by to_address`,
    );
    expect(mails.rows).toHaveLength(6);
    expect(mails.rows.every((r) => r.n === 1 && r.receipts === 1)).toBe(true);
    const admins = await client.query(`select count(*)::int as n from users where role = 'admin'`);
    expect(admins.rows[0].n).toBe(1);
    const stock = await client.query(`select count(*)::int as n from senders`);
    expect(stock.rows[0].n).toBe(24);
  });
});
