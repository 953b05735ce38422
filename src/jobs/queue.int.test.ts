import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { settings } from '../db/schema.js';

describe('job queue', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('runs a job sent outside a transaction', async () => {
    await t.ctx.jobs.send('heartbeat', { sentAt: 'plain' });
    const row = await eventually(async () => {
      const [r] = await t.ctx.db.select().from(settings).where(eq(settings.key, 'worker.heartbeat'));
      return (r?.value as any)?.sentAt === 'plain' ? r : undefined;
    });
    expect((row!.value as any).ranAt).toBeTruthy();
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
    await eventually(async () => {
      const [r] = await t.ctx.db.select().from(settings).where(eq(settings.key, 'worker.heartbeat'));
      return (r?.value as any)?.sentAt === 'committed';
    });
    const { rows } = await t.ctx.database.executor.executeSql(
      `select count(*)::int as n from pgboss.job where name = 'heartbeat' and data->>'sentAt' = 'rolled-back'`,
      [],
    );
    expect(rows[0]!.n).toBe(0);
  });
});
