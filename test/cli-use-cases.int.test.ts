// The use cases behind the CLI commands that have no test of their own elsewhere, in-process
// on the test database (fast on both engines; test/cli.int.test.ts runs the CLI itself).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../src/modules/accounts/create-admin.js';
import { findOrCreateCustomer } from '../src/modules/accounts/find-or-create-customer.js';
import { rotateAdminCode } from '../src/modules/accounts/rotate-admin-code.js';
import { listStuckOrders } from '../src/modules/checkout/list-stuck-orders.js';
import { createPaidOrder } from './factories/orders.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('CLI use cases', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No worker: paid orders stay paid, failed jobs stay failed.
    t = await startTestApp({ worker: false });
  });
  afterAll(async () => t?.close());

  it('orders stuck: paid longer ago than the threshold and not fulfilled, oldest first', async () => {
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    const old = await createPaidOrder(t.ctx, { email: 'stuck-old@example.com', plan: 'bronze', paidAt: minutesAgo(90) });
    const recent = await createPaidOrder(t.ctx, { email: 'stuck-recent@example.com', plan: 'bronze', paidAt: minutesAgo(2) });
    const stuck = await listStuckOrders({ db: t.ctx.db });
    expect(stuck.map((o) => o.id)).toEqual([old.orderId]);
    expect(stuck[0]).toMatchObject({ email: 'stuck-old@example.com', minutesSincePaid: 90 });
    expect((await listStuckOrders({ db: t.ctx.db, olderThanMinutes: 1 })).map((o) => o.id)).toEqual([old.orderId, recent.orderId]);
  });

  it('jobs retry: puts failed jobs of one queue back to run, and only those', async () => {
    const failed = await t.ctx.jobs.send('heartbeat', { sentAt: 'to-fail' });
    const other = await t.ctx.jobs.send('send-email', { emailId: '00000000-0000-4000-8000-000000000000' });
    await t.ctx.database.executor.executeSql(`update pgboss.job set state = 'failed', completed_on = now() where id = any($1::uuid[])`, [[failed, other]]);
    expect(await t.ctx.queue.retryFailed('heartbeat')).toBe(1);
    const { rows } = await t.ctx.database.executor.executeSql(`select id, state from pgboss.job where id = any($1::uuid[])`, [[failed, other]]);
    const states = Object.fromEntries(rows.map((r) => [r.id, r.state]));
    expect(states).toEqual({ [failed!]: 'retry', [other!]: 'failed' });
    expect(await t.ctx.queue.retryFailed('heartbeat')).toBe(0);
  });

  it('admin create refuses an email that is taken; rotate-code refuses a non-admin', async () => {
    const created = await createAdmin({ db: t.ctx.db, email: ' Second@Example.com ' });
    expect(created.email).toBe('second@example.com');
    await expect(createAdmin({ db: t.ctx.db, email: 'second@example.com' })).rejects.toMatchObject({ code: 'conflict', message: /already an admin/ });
    await findOrCreateCustomer({ tx: t.ctx.db, email: 'buyer@example.com' });
    await expect(createAdmin({ db: t.ctx.db, email: 'buyer@example.com' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(rotateAdminCode({ db: t.ctx.db, email: 'buyer@example.com' })).rejects.toMatchObject({ code: 'conflict', message: /not an admin/ });
    await expect(rotateAdminCode({ db: t.ctx.db, email: 'nobody@example.com' })).rejects.toMatchObject({ code: 'not_found' });
    const rotated = await rotateAdminCode({ db: t.ctx.db, email: 'SECOND@example.com' });
    expect(rotated.userId).toBe(created.userId);
    expect(rotated.accessCode).not.toBe(created.accessCode);
  });
});
