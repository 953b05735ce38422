// GET /api/health/ready: 200 only when the database answers, migrations are applied and a
// worker beat within a minute; otherwise 503 naming the part that failed.
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServerDatabase, startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { startWorkerHeartbeat, type WorkerHeartbeat } from '../platform/worker-heartbeat.js';

const serverUrl = process.env.DATABASE_URL;

describe('GET /api/health/ready', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const ready = () => t.api('GET', '/api/health/ready');

  it('answers 200 when the database, the migrations and the worker are fine; liveness stays as it was', async () => {
    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, failed: [], checks: { database: { ok: true }, migrations: { ok: true }, worker: { ok: true } } });
    expect((await t.api('GET', '/api/health')).body).toEqual({ ok: true, database: t.ctx.database.kind });
  });

  it('answers 503 naming the worker when no worker beat in the last minute', async () => {
    const age = sql`now() - interval '2 minutes'`;
    await t.ctx.db.execute(sql`update settings set updated_at = ${age} where key in ('worker.alive', 'worker.heartbeat')`);
    const res = await ready();
    expect(res.status).toBe(503);
    expect(res.body.failed).toEqual(['worker']);
    expect(res.body.checks.worker.error).toMatch(/last worker heartbeat 12\d s ago/);
    await t.ctx.db.execute(sql`update settings set updated_at = now() where key = 'worker.alive'`);
    expect((await ready()).status).toBe(200);
  });

  it('answers 503 naming the migrations when the last committed one is not applied', async () => {
    const [last] = (
      (await t.ctx.db.execute(sql`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`)) as unknown as {
        rows: { id: number; hash: string; created_at: string }[];
      }
    ).rows;
    await t.ctx.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last!.id}`);
    try {
      const res = await ready();
      expect(res.status).toBe(503);
      expect(res.body.failed).toEqual(['migrations']);
      expect(res.body.checks.migrations.error).toBe('migrations not applied');
    } finally {
      await t.ctx.db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last!.id}, ${last!.hash}, ${last!.created_at})`);
    }
    expect((await ready()).status).toBe(200);
  });
});

/**
 * A TCP proxy to the PostgreSQL server. `cut`: every connection dropped, new ones refused.
 * `stall`: bytes stop flowing and new connections hang (a dead network path). `restore`.
 */
async function startProxy(target: URL) {
  const [host, targetPort] = [target.hostname, Number(target.port || 5432)];
  const sockets = new Set<net.Socket>();
  let isCut = false;
  let stalled = false;
  const held = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (isCut) return void client.destroy();
    if (stalled) {
      held.add(client);
      client.on('error', () => {});
      return;
    }
    const upstream = net.connect(targetPort, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut() {
      isCut = true;
      for (const s of sockets) s.destroy();
    },
    stall() {
      stalled = true;
      for (const s of sockets) s.pause();
      for (const s of sockets) s.unpipe();
    },
    restore() {
      // Stalled connections never recover: drop them so the pool opens fresh ones.
      if (stalled) for (const s of [...sockets, ...held]) s.destroy();
      held.clear();
      isCut = false;
      stalled = false;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.skipIf(!serverUrl)('GET /api/health/ready while the database is cut (PostgreSQL)', () => {
  let t: TestApp | undefined;
  let db: Awaited<ReturnType<typeof createServerDatabase>>;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let heartbeat: WorkerHeartbeat | undefined;
  beforeAll(async () => {
    db = await createServerDatabase(serverUrl!);
    const url = new URL(db.url);
    proxy = await startProxy(url);
    url.host = `127.0.0.1:${proxy.port}`;
    // No job worker: pg-boss's own handling of a lost connection is not what this tests (and
    // its job completion can reject unhandled mid-cut); the heartbeat stands in for the worker.
    t = await startTestApp({ worker: false, env: { DATABASE_URL: url.toString() } });
    heartbeat = await startWorkerHeartbeat({ ctx: t.ctx, intervalMs: 500 });
  });
  afterEach(() => proxy?.restore());
  afterAll(async () => {
    proxy?.restore();
    await heartbeat?.stop();
    await t?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('answers 503 naming the database while it is cut, and 200 again once it is back', async () => {
    expect((await t!.api('GET', '/api/health/ready')).status).toBe(200);
    proxy.cut();
    // Answered while the database is still gone: it comes back only after this resolves.
    const res = await t!.api('GET', '/api/health/ready');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ ok: false, failed: ['database'], checks: { database: { ok: false } } });
    expect(Object.keys(res.body.checks).sort()).toEqual(['database', 'migrations', 'worker']);
    // Liveness is the process, not its dependencies.
    expect((await t!.api('GET', '/api/health')).status).toBe(200);

    proxy.restore();
    await vi.waitFor(async () => expect((await t!.api('GET', '/api/health/ready')).status).toBe(200), { timeout: 15_000, interval: 200 });
  });

  it('answers 503 by its own timeout when the database stops answering without closing connections', async () => {
    expect((await t!.api('GET', '/api/health/ready')).status).toBe(200);
    proxy.stall();
    // Answered while the database still stalls (it is restored only after this resolves), and by
    // the check's own 1 s timeout: the error says so.
    const res = await t!.api('GET', '/api/health/ready');
    expect(res.status).toBe(503);
    expect(res.body.failed).toEqual(['database']);
    expect(res.body.checks.database.error).toMatch(/timed out after 1000 ms/);

    proxy.restore();
    await vi.waitFor(async () => expect((await t!.api('GET', '/api/health/ready')).status).toBe(200), { timeout: 15_000, interval: 200 });
  });
});
