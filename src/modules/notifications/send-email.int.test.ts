import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessCodeFrom, buyPlan } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { type FakeSmtp, startFakeSmtp } from '../../../test/fakes/smtp.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { emails } from '../../db/schema.js';
import { queueEmail } from '../../platform/notifications/queue-email.js';
import { sendEmail } from './send-email.js';

describe('email over SMTP', () => {
  let smtp: FakeSmtp;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'HQAdz <billing@hqadz.test>' } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('sends the fulfilment email through SMTP with the access code, once', async () => {
    await setStock(t.ctx, 1);
    await buyPlan(t, { email: 'smtp@example.com', plan: 'bronze' });
    const msg = await vi.waitFor(
      () => {
        // The receipt went out too (queued with the payment): this test is about the access-code email.
        const delivered = smtp.messages.find((m) => m.to.includes('smtp@example.com') && m.subject.includes('access code'));
        expect(delivered, 'SMTP delivery').toBeDefined();
        return delivered!;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(msg.from).toBe('billing@hqadz.test');
    expect(msg.subject).toContain('access code');
    const code = accessCodeFrom(msg.text);
    expect(code).toMatch(/^HQ-/);
    const [row] = await t.ctx.db
      .select()
      .from(emails)
      .where(and(eq(emails.toAddress, 'smtp@example.com'), like(emails.dedupeKey, '%:fulfilled')));
    await vi.waitFor(async () => expect((await t.ctx.db.select().from(emails).where(eq(emails.id, row!.id)))[0]!.status).toBe('sent'), {
      timeout: 10_000,
      interval: 100,
    });
    // A retried job finds it sent and does nothing.
    expect(await sendEmail({ ctx: t.ctx, emailId: row!.id })).toBe('skipped');
    expect(smtp.messages.filter((m) => m.to.includes('smtp@example.com') && m.subject.includes('access code'))).toHaveLength(1);
    expect(msg.messageId).toBe(`<${row!.id}@hqadz>`);
  });

  it('keeps a failed send queued with the error, and the retry delivers it', async () => {
    // Written without a job, so the worker cannot race this test's own sends.
    const [row] = await t.ctx.db
      .insert(emails)
      .values({ toAddress: 'retry@example.com', subject: 'Hi', bodyText: 'Line one\nÜmlaut line', dedupeKey: 'test:retry' })
      .returning();
    const id = row!.id;
    smtp.failNext(1);
    await expect(sendEmail({ ctx: t.ctx, emailId: id })).rejects.toThrow();
    const [failed] = await t.ctx.db.select().from(emails).where(eq(emails.id, id));
    expect(failed).toMatchObject({ status: 'queued' });
    expect(failed!.error).toContain('451');
    expect(await sendEmail({ ctx: t.ctx, emailId: id })).toBe('sent');
    const [sent] = await t.ctx.db.select().from(emails).where(eq(emails.id, id));
    expect(sent).toMatchObject({ status: 'sent', error: null });
    const got = smtp.messages.filter((m) => m.to.includes('retry@example.com'));
    expect(got).toHaveLength(1);
    expect(got[0]!.text).toBe('Line one\nÜmlaut line');
    // The same dedupe key never makes a second email.
    const again = await t.ctx.db.transaction((tx) =>
      queueEmail({ ctx: t.ctx, tx, to: 'retry@example.com', subject: 'Hi', bodyText: 'x', dedupeKey: 'test:retry' }),
    );
    expect(again).toBeNull();
  });
});
