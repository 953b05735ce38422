// Issue 7.4: a worker killed (SIGKILL) in the middle of a fulfil-order job. pg-boss keeps
// that job 'active' until it expires; the fulfilment watchdog must get the paid order
// fulfilled by another worker long before the old 300 s expiry, and tell the admins.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emails, notifications } from '../src/db/schema.js';
import { jobHandlers } from '../src/jobs/handlers.js';
import { createPaidOrder, waitForOrderStatus } from './factories/orders.js';
import { createServerDatabase, startTestApp, type TestApp } from './helpers/test-app.js';

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)('a worker killed mid fulfil-order (PostgreSQL)', () => {
  let db: { url: string; drop(): Promise<void> };
  let t: TestApp;
  let worker: ChildProcess | undefined;
  let blocker: pg.Client;
  const secrets = { JWT_SECRET: randomBytes(32).toString('hex'), ENCRYPTION_KEY: randomBytes(32).toString('hex') };

  beforeAll(async () => {
    db = await createServerDatabase(serverUrl!);
    // The surviving worker: in this process, its job handlers started only after the kill.
    t = await startTestApp({ databaseUrl: db.url, worker: false, env: { ...secrets, ADMIN_ACCESS_CODE: 'HQ-KILL-TEST-ADMIN-0001' } });
    blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
  });

  afterAll(async () => {
    worker?.kill('SIGKILL');
    await blocker?.end().catch(() => {});
    await t?.close();
    await db?.drop();
  });

  it('another worker fulfils the order well before the old 5-minute expiry, and the admins hear of it', async () => {
    const { orderId, userId } = await createPaidOrder(t.ctx, { email: 'killed@example.com', plan: 'bronze' });
    // Holds the customer's row, so the doomed worker's fulfilment blocks inside its transaction.
    await blocker.query('begin');
    await blocker.query('select id from users where id = $1 for update', [userId]);

    // node itself, not the tsx wrapper: SIGKILL must hit the process that runs the job.
    worker = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
      env: {
        ...process.env,
        ...secrets,
        DATABASE_URL: db.url,
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'hqadz-kill-')),
        JOB_POLL_SECONDS: '0.5',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => worker!.once('exit', r));
    await t.ctx.jobs.send('fulfil-order', { orderId });
    const q = (text: string, values: unknown[] = []) => t.ctx.database.executor.executeSql(text, values);
    await vi.waitFor(
      async () =>
        expect(
          (await q(`select 1 from pgboss.job where name = 'fulfil-order' and state = 'active' and data->>'orderId' = $1`, [orderId])).rows,
          'the fulfil-order job active in the doomed worker',
        ).not.toHaveLength(0),
      { timeout: 60_000, interval: 100 },
    );
    await vi.waitFor(
      async () =>
        expect(
          (await q(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rows,
          'the fulfilment waiting on the customer row',
        ).not.toHaveLength(0),
      { timeout: 10_000, interval: 100 },
    );
    worker.kill('SIGKILL');
    await exited;
    await blocker.query('rollback');

    // The survivor starts working; its watchdog (here with a short age) finds the paid order.
    await t.ctx.queue.work(jobHandlers(t.ctx));
    await t.ctx.jobs.send('watch-fulfilments', { olderThanSeconds: 1 });
    await waitForOrderStatus(t.ctx, orderId, 'fulfilled', 30_000);
    // The watchdog did it, not pg-boss's expiry: the killed worker's job is still held (active),
    // and the fulfilment ran in the job the watchdog queued again.
    await vi.waitFor(
      async () => {
        const { rows } = await q(`select state, singleton_key from pgboss.job where name = 'fulfil-order' and data->>'orderId' = $1`, [orderId]);
        expect(rows.map((r) => r.state)).toContain('active');
        expect(rows.find((r) => r.singleton_key === `watchdog:${orderId}`)?.state).toBe('completed');
      },
      { timeout: 10_000, interval: 100 },
    );

    const alerts = await t.ctx.db.select().from(notifications).where(eq(notifications.kind, 'order_stuck'));
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts[0]!.body).toContain('not fulfilled');
    // Fulfilled once: one email, whatever ran twice.
    await vi.waitFor(async () => expect(await t.ctx.db.select().from(emails).where(eq(emails.toAddress, 'killed@example.com'))).toHaveLength(1), {
      timeout: 10_000,
      interval: 100,
    });
  });
});
