// Access codes and license keys reach the customer in full and nobody else: the emails row
// keeps them masked, the full message only sealed until it is sent or filed, and the admin
// outbox shows the mask.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSmtp, startFakeSmtp } from '../../../test/fakes/smtp.js';
import { eventually, startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { emails, orders } from '../../db/schema.js';
import { decrypt } from '../../lib/crypto.js';
import { migrationsDir } from '../../lib/paths.js';
import type { AppContext } from '../../platform/app-context.js';
import { maskSecret } from '../../platform/notifications/mask-secret.js';
import { fulfilOrder } from '../fulfilment/fulfil-order.js';
import { accessCodeFrom, adminToken, createPaidOrder, emailsTo, setStock } from '../fulfilment/test-fixtures.js';
import { sendEmail } from './send-email.js';

const licenseKeyFrom = (text: string) => /^License key: (\S+)$/m.exec(text)?.[1] ?? null;

describe('secrets in emails', () => {
  let smtp: FakeSmtp;
  let t: TestApp;
  let admin: Record<string, string>;
  // The same app without SMTP_URL: what test mode does with an email.
  let noSmtp: AppContext;

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    // No worker: each test sends its own emails, so it sees every state in between.
    t = await startTestApp({ worker: false, env: { SMTP_URL: smtp.url } });
    admin = { authorization: `Bearer ${await adminToken(t.ctx)}` };
    noSmtp = { ...t.ctx, config: { ...t.ctx.config, smtpUrl: undefined } };
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  async function fulfilledOrder(email: string) {
    await setStock(t.ctx, 1);
    const o = await createPaidOrder(t.ctx, { email, plan: 'bronze' });
    expect(await fulfilOrder({ ctx: t.ctx, orderId: o.orderId })).toBe('fulfilled');
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, o.orderId));
    const [mail] = await emailsTo(t.ctx, email);
    return { code: decrypt(order!.pendingAccessCode!, t.ctx.config.encryptionKey), mail: mail! };
  }

  async function adminListed(email: string) {
    const res = await t.api('GET', '/api/admin/emails?limit=200', undefined, admin);
    expect(res.status).toBe(200);
    return res.body.emails.filter((m: { to: string }) => m.to === email);
  }

  it('mails the full code and key, then keeps neither anywhere in the emails row; admins see them masked', async () => {
    const { code, mail: queued } = await fulfilledOrder('sealed@example.com');
    // Waiting to be sent: masked in the row, the full text only sealed.
    expect(JSON.stringify(queued)).not.toContain(code);
    expect(queued.bodyText).toContain(`Access code: ${maskSecret(code)}`);
    expect(queued.sealedMessage).toMatch(/^v1\./);

    expect(await sendEmail({ ctx: t.ctx, emailId: queued.id })).toBe('sent');
    const got = smtp.messages.filter((m) => m.to.includes('sealed@example.com'));
    expect(got).toHaveLength(1);
    expect(accessCodeFrom(got[0]!.text)).toBe(code);
    const key = licenseKeyFrom(got[0]!.text)!;
    expect(key).toMatch(/^LK-/);
    expect(got[0]!.text).not.toContain('•');
    expect((await t.api('POST', '/api/auth/login', { accessCode: code })).status).toBe(200);

    const [sent] = await t.ctx.db.select().from(emails).where(eq(emails.id, queued.id));
    expect(sent).toMatchObject({ status: 'sent', sealedMessage: null });
    const row = JSON.stringify(sent);
    expect(row).not.toContain(code);
    expect(row).not.toContain(key);
    expect(sent!.bodyText).toContain(`Access code: ${maskSecret(code)}`);
    expect(sent!.bodyText).toContain(`License key: ${maskSecret(key)}`);

    const [listed] = await adminListed('sealed@example.com');
    expect(listed.body).toBe(sent!.bodyText);
    expect(JSON.stringify(listed)).not.toContain(code);
    expect(JSON.stringify(listed)).not.toContain(key);
  });

  it('files an email in the outbox without its secret when there is no SMTP server', async () => {
    const { code, mail: queued } = await fulfilledOrder('outbox-secret@example.com');
    const sealed = JSON.parse(decrypt(queued.sealedMessage!, t.ctx.config.encryptionKey));
    expect(accessCodeFrom(sealed.text)).toBe(code);

    expect(await sendEmail({ ctx: noSmtp, emailId: queued.id })).toBe('outbox');
    const [filed] = await t.ctx.db.select().from(emails).where(eq(emails.id, queued.id));
    expect(filed).toMatchObject({ status: 'outbox', sealedMessage: null });
    expect(JSON.stringify(filed)).not.toContain(code);
    expect(filed!.bodyText).toContain(`Access code: ${maskSecret(code)}`);
    const [listed] = await adminListed('outbox-secret@example.com');
    expect(listed.body).toContain(`Access code: ${maskSecret(code)}`);
    expect(JSON.stringify(listed)).not.toContain(code);
  });

  it('sends nothing, rather than the masked text, when the sealed copy cannot be opened', async () => {
    const { mail } = await fulfilledOrder('unsealable@example.com');
    await t.ctx.db.update(emails).set({ sealedMessage: 'v1.broken.seal.x' }).where(eq(emails.id, mail.id));
    await expect(sendEmail({ ctx: t.ctx, emailId: mail.id })).rejects.toThrow(/sealed message cannot be opened/);
    expect(smtp.messages.filter((m) => m.to.includes('unsealable@example.com'))).toHaveLength(0);
    const [row] = await t.ctx.db.select().from(emails).where(eq(emails.id, mail.id));
    expect(row).toMatchObject({ status: 'queued' });
    expect(row!.error).toMatch(/ENCRYPTION_KEY/);
  });

  it('migration 0003 masks the codes in emails written before it, and still delivers a queued one in full', async () => {
    const code = 'HQ-M0KD-7K2M-QW3E-9QDX-ABCD-EFGH-JK';
    const key = 'LK-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG';
    const body = `Thank you.\n\nAccess code: ${code}\nLicense key: ${key}\nPlan: Bronze`;
    const [old] = await t.ctx.db
      .insert(emails)
      .values({ toAddress: 'legacy-old@example.com', subject: 'Your HQAdz access code', bodyText: body, status: 'outbox', dedupeKey: 'legacy:old' })
      .returning();
    const [waiting] = await t.ctx.db
      .insert(emails)
      .values({ toAddress: 'legacy-queued@example.com', subject: 'Your HQAdz access code', bodyText: body, dedupeKey: 'legacy:queued' })
      .returning();
    const [plain] = await t.ctx.db
      .insert(emails)
      .values({ toAddress: 'legacy-plain@example.com', subject: 'Renewed', bodyText: 'No secret here, HQ-1234.', dedupeKey: 'legacy:plain' })
      .returning();

    // The migration's data statements, run again over rows shaped as before it.
    const statements = readFileSync(path.join(migrationsDir, '0003_email_secrets.sql'), 'utf8').split('--> statement-breakpoint').slice(1);
    for (const statement of statements) await t.ctx.database.executor.executeSql(statement, []);

    const masked = `Thank you.\n\nAccess code: ${maskSecret(code)}\nLicense key: ${maskSecret(key)}\nPlan: Bronze`;
    const byId = async (id: string) => (await t.ctx.db.select().from(emails).where(eq(emails.id, id)))[0]!;
    expect(await byId(old!.id)).toMatchObject({ bodyText: masked, sealedMessage: null });
    expect(await byId(plain!.id)).toMatchObject({ bodyText: 'No secret here, HQ-1234.', sealedMessage: null });
    expect((await byId(waiting!.id)).bodyText).toBe(masked);

    expect(await sendEmail({ ctx: t.ctx, emailId: waiting!.id })).toBe('sent');
    const got = await eventually(() => smtp.messages.find((m) => m.to.includes('legacy-queued@example.com')));
    expect(got!.text).toBe(body);
    expect(await byId(waiting!.id)).toMatchObject({ status: 'sent', bodyText: masked, sealedMessage: null });
  });
});
