import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeSmtp, startFakeSmtp } from '../../../test/fakes/smtp.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { emails, recoveryTokens, users } from '../../db/schema.js';
import { issueAccessCode } from './issue-access-code.js';

describe('account recovery: "Lost your code?"', () => {
  let smtp: FakeSmtp;
  let t: TestApp;
  let seq = 0;
  let ipSeq = 0;
  // Each request from its own address, so the per-address limit only bites where a test wants it.
  const fresh = () => ({ 'x-forwarded-for': `10.9.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}` });

  const newCustomer = async (role: 'customer' | 'reseller' | 'admin' = 'customer') => {
    const email = `lost${++seq}-${Date.now()}@example.com`;
    const [u] = await t.ctx.db.insert(users).values({ email, role }).returning();
    const code = await t.ctx.db.transaction((tx) => issueAccessCode({ tx, userId: u!.id }));
    return { user: u!, email, code };
  };
  const linkIn = async (email: string, nth = 1) => {
    const msg = await vi.waitFor(
      () => {
        const got = smtp.messages.filter((m) => m.to.includes(email) && m.subject.includes('link'));
        if (got.length < nth) throw new Error(`waiting for recovery email ${nth} to ${email}`);
        return got[nth - 1]!;
      },
      { timeout: 15_000, interval: 50 },
    );
    const m = /\/login\?recover=([A-Za-z0-9_-]+)/.exec(msg.text);
    expect(m, msg.text).not.toBeNull();
    return { url: m![0], token: m![1]! };
  };

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    t = await startTestApp({ env: { SMTP_URL: smtp.url, TRUST_PROXY: 'true' } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('answers 202 the same way for an account and for an unknown address', async () => {
    const { email } = await newCustomer();
    const known = await t.api('POST', '/api/auth/recover', { email }, fresh());
    const unknown = await t.api('POST', '/api/auth/recover', { email: `nobody-${Date.now()}@example.com` }, fresh());
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    await linkIn(email);
  });

  it('emails a one-time 256-bit link; redeeming gives a new code, ends the old code and earlier sessions', async () => {
    const { user, email, code } = await newCustomer();
    const before = await t.api('POST', '/api/auth/login', { accessCode: code }, fresh());
    expect(before.status).toBe(200);
    await new Promise((r) => setTimeout(r, 3100)); // older than the 2 s clock slack for sessions

    await t.api('POST', '/api/auth/recover', { email: email.toUpperCase() }, fresh());
    const { url, token } = await linkIn(email);
    expect(url.startsWith('/login?recover=')).toBe(true);
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    // Only a hash is stored.
    const rows = await t.ctx.db.select().from(recoveryTokens).where(eq(recoveryTokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(rows[0]!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    // Sent, the stored email no longer holds a working link.
    await vi.waitFor(async () => {
      const stored = await t.ctx.db.select().from(emails).where(eq(emails.toAddress, email));
      if (!stored.every((e) => e.status === 'sent')) throw new Error('not sent yet');
      expect(JSON.stringify(stored)).not.toContain(token);
    });

    const redeemed = await t.api('POST', '/api/auth/recover/redeem', { token }, fresh());
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toEqual({ token: expect.any(String), accessCode: expect.stringMatching(/^HQ-/), role: 'customer' });
    expect(redeemed.body.accessCode).not.toBe(code);

    expect((await t.api('POST', '/api/auth/login', { accessCode: code }, fresh())).status).toBe(401);
    expect((await t.api('POST', '/api/auth/login', { accessCode: redeemed.body.accessCode }, fresh())).status).toBe(200);
    const oldSession = await t.api('GET', '/api/auth/me', undefined, { authorization: `Bearer ${before.body.token}` });
    expect(oldSession.status).toBe(401);
    const newSession = await t.api('GET', '/api/auth/me', undefined, { authorization: `Bearer ${redeemed.body.token}` });
    expect(newSession.status).toBe(200);

    // Once.
    const again = await t.api('POST', '/api/auth/recover/redeem', { token }, fresh());
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('gone');
    // The customer is told.
    await vi.waitFor(() => {
      if (!smtp.messages.some((m) => m.to.includes(email) && m.subject.includes('was changed'))) throw new Error('no notice yet');
    });
  });

  it('refuses an expired link and an unknown token with 410, and changes nothing', async () => {
    const { user, email, code } = await newCustomer();
    await t.api('POST', '/api/auth/recover', { email }, fresh());
    const { token } = await linkIn(email);
    await t.ctx.db
      .update(recoveryTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(recoveryTokens.userId, user.id));
    expect((await t.api('POST', '/api/auth/recover/redeem', { token }, fresh())).status).toBe(410);
    expect((await t.api('POST', '/api/auth/recover/redeem', { token: 'x'.repeat(43) }, fresh())).status).toBe(410);
    expect((await t.api('POST', '/api/auth/login', { accessCode: code }, fresh())).status).toBe(200);
  });

  it('sends nothing for an admin address (admins recover with the operator CLI)', async () => {
    const { email } = await newCustomer('admin');
    expect((await t.api('POST', '/api/auth/recover', { email }, fresh())).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.messages.some((m) => m.to.includes(email))).toBe(false);
  });

  it('limits links per email (quietly) and requests per address (429)', async () => {
    const { email } = await newCustomer();
    for (let i = 0; i < 5; i++) expect((await t.api('POST', '/api/auth/recover', { email }, fresh())).status).toBe(202);
    await linkIn(email, 3);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.messages.filter((m) => m.to.includes(email) && m.subject.includes('link'))).toHaveLength(3);

    const ip = fresh();
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await t.api('POST', '/api/auth/recover', { email: `x${i}@example.com` }, ip)).status);
    expect(codes.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(codes.slice(5)).toEqual([429, 429]);
  });

  it('rejects a malformed email with a 400 naming the field', async () => {
    const res = await t.api('POST', '/api/auth/recover', { email: 'not-an-email' }, fresh());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/email/);
  });
});
