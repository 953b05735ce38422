import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { settings } from '../../db/schema.js';
import { withLogContext } from '../../lib/log-context.js';

describe('job queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  /** Waits for the heartbeat job that was sent with `sentAt` to have run. */
  const heartbeatWith = (sentAt: string) =>
    vi.waitFor(
      async () => {
        const [r] = await t.ctx.db.select().from(settings).where(eq(settings.key, 'worker.heartbeat'));
        expect((r?.value as any)?.sentAt).toBe(sentAt);
        return r!;
      },
      { timeout: 10_000, interval: 100 },
    );

  it('runs a job sent outside a transaction', async () => {
    await t.ctx.jobs.send('heartbeat', { sentAt: 'plain' });
    const row = await heartbeatWith('plain');
    expect((row!.value as any).ranAt).toBeTruthy();
  });

  it('carries the request id of the request that enqueued a job into the job', async () => {
    const id = await withLogContext({ requestId: 'req-job-trace-1' }, () => t.ctx.jobs.send('heartbeat', { sentAt: 'traced' }));
    const { rows } = await t.ctx.database.executor.executeSql('select data from pgboss.job where id = $1', [id]);
    expect((rows[0]!.data as any).requestId).toBe('req-job-trace-1');
    // The handler still gets its own payload only.
    const row = await heartbeatWith('traced');
    expect(row!.value).not.toHaveProperty('requestId');
  });

  it('enqueues with the transaction: a rolled-back job never runs, a committed one does', async () => {
    await t.ctx.db
      .transaction(async (tx) => {
        await t.ctx.jobs.send('heartbeat', { sentAt: 'rolled-back' }, { tx });
        throw new Error('rollback');
      })
      .catch(() => {});
    await t.ctx.db.transaction(async (tx) => {
      await t.ctx.jobs.send('heartbeat', { sentAt: 'committed' }, { tx });
    });
    await heartbeatWith('committed');
    const { rows } = await t.ctx.database.executor.executeSql(
      `select count(*)::int as n from pgboss.job where name = 'heartbeat' and data->>'sentAt' = 'rolled-back'`,
      [],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('gives fulfil-order and send-email a 60 s expiry, also on a queue an older release made with 300 s', async () => {
    const expiry = async () =>
      Object.fromEntries(
        (
          await t.ctx.database.executor.executeSql(
            `select name, expire_seconds from pgboss.queue where name in ('fulfil-order', 'send-email') order by name`,
            [],
          )
        ).rows.map((r) => [r.name, r.expire_seconds]),
      );
    expect(await expiry()).toEqual({ 'fulfil-order': 60, 'send-email': 60 });
    await t.ctx.database.executor.executeSql(`update pgboss.queue set expire_seconds = 300 where name in ('fulfil-order', 'send-email')`, []);
    await t.ctx.queue.start(); // what the next start of the new release does
    expect(await expiry()).toEqual({ 'fulfil-order': 60, 'send-email': 60 });
    // Jobs take the queue's expiry when they are sent.
    await t.ctx.jobs.send('send-email', { emailId: '00000000-0000-4000-8000-000000000000' });
    const { rows } = await t.ctx.database.executor.executeSql(
      `select extract(epoch from expire_in)::int as s from pgboss.job where name = 'send-email' order by created_on desc limit 1`,
      [],
    );
    expect(rows[0]!.s).toBe(60);
  });
});
