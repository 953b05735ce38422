import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { users } from '../../db/schema.js';
import { onStartup } from '../../startup.js';

const ADMIN_CODE = 'my-own-admin-code-0123456789';

describe('first admin', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await t?.close();
    t = undefined;
  });

  const admins = async (app: TestApp) => app.ctx.db.select().from(users).where(eq(users.role, 'admin'));

  it('is created once from ADMIN_ACCESS_CODE, across restarts and concurrent starts, and logs in as admin', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    t = await startTestApp({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } });
    await onStartup(t.ctx);
    expect(await admins(t)).toHaveLength(1);
    expect(log.mock.calls.flat().join('\n')).not.toContain(ADMIN_CODE);

    const res = await t.api('POST', '/api/auth/login', { accessCode: ` ${ADMIN_CODE} ` });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
    const me = await t.api('GET', '/api/auth/me', undefined, { authorization: `Bearer ${res.body.token}` });
    expect(me.body).toMatchObject({ role: 'admin', email: null });

    // Several processes starting on an install without an admin still make exactly one.
    await t.ctx.db.delete(users).where(eq(users.role, 'admin'));
    await Promise.all([onStartup(t.ctx), onStartup(t.ctx), onStartup(t.ctx)]);
    expect(await admins(t)).toHaveLength(1);
  });

  it('is generated and printed once when ADMIN_ACCESS_CODE is unset', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    t = await startTestApp();
    // Start-up output goes to the test app's sink, never to the test run's console.
    expect(log).not.toHaveBeenCalled();
    expect(t.printed).toHaveLength(1);
    const code = /Admin access code: (HQ-[0-9A-Z-]+)/.exec(t.printed[0]!)?.[1];
    expect(code).toBeTruthy();
    expect(t.printed[0]).toMatch(/╔═+╗/);

    await onStartup(t.ctx);
    expect(log).not.toHaveBeenCalled();
    expect(t.printed).toHaveLength(1);
    expect(await admins(t)).toHaveLength(1);

    const res = await t.api('POST', '/api/auth/login', { accessCode: code });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
  });
});
