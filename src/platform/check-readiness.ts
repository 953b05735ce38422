// Readiness (GET /api/health/ready): the database answers, every committed migration is
// applied, and a worker beat within the last minute. Each check has its own short timeout,
// so the answer comes within a couple of seconds even when the pool would wait forever.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsDir } from '../lib/paths.js';
import type { AppContext } from './app-context.js';
import { withTimeout } from './with-timeout.js';
import { heartbeatAgeSeconds } from './worker-heartbeat.js';

export const CHECK_TIMEOUT_MS = 1000;
export const WORKER_MAX_AGE_SECONDS = 60;

export type CheckName = 'database' | 'migrations' | 'worker';
export type CheckResult = { ok: boolean; error?: string; [detail: string]: unknown };
export type Readiness = { ok: boolean; failed: CheckName[]; checks: Record<CheckName, CheckResult> };

export type CheckReadinessOptions = { ctx: AppContext; timeoutMs?: number };

let expectedMigration: { count: number; lastWhen: number } | undefined;

function committedMigrations(): { count: number; lastWhen: number } {
  if (!expectedMigration) {
    const journal = JSON.parse(readFileSync(path.join(migrationsDir, 'meta/_journal.json'), 'utf8')) as { entries: { when: number }[] };
    expectedMigration = { count: journal.entries.length, lastWhen: Math.max(0, ...journal.entries.map((e) => e.when)) };
  }
  return expectedMigration;
}

async function one(ctx: AppContext, query: ReturnType<typeof sql>): Promise<Record<string, unknown> | undefined> {
  const res = (await ctx.db.execute(query)) as unknown as { rows: Record<string, unknown>[] };
  return res.rows[0];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 200);

async function checkDatabase(ctx: AppContext, ms: number): Promise<CheckResult> {
  const started = Date.now();
  await withTimeout(one(ctx, sql`select 1 as one`), ms, 'select 1');
  return { ok: true, ms: Date.now() - started };
}

async function checkMigrations(ctx: AppContext, ms: number): Promise<CheckResult> {
  const expected = committedMigrations();
  // Drizzle's own bookkeeping: one row per applied migration, created_at = the journal's `when`.
  const row = await withTimeout(
    one(ctx, sql`select count(*)::int as applied, coalesce(max(created_at), 0)::float8 as last from drizzle.__drizzle_migrations`),
    ms,
    'migrations check',
  );
  const applied = Number(row?.applied ?? 0);
  const ok = Number(row?.last ?? 0) >= expected.lastWhen && applied >= expected.count;
  return ok ? { ok, applied, expected: expected.count } : { ok, applied, expected: expected.count, error: 'migrations not applied' };
}

async function checkWorker(ctx: AppContext, ms: number): Promise<CheckResult> {
  const age = await withTimeout(heartbeatAgeSeconds(ctx), ms, 'worker heartbeat check');
  if (age === null) return { ok: false, error: 'no worker heartbeat yet' };
  const ageSeconds = Math.round(age * 10) / 10;
  if (age >= WORKER_MAX_AGE_SECONDS) return { ok: false, ageSeconds, error: `last worker heartbeat ${Math.round(age)} s ago` };
  return { ok: true, ageSeconds };
}

export async function checkReadiness({ ctx, timeoutMs = CHECK_TIMEOUT_MS }: CheckReadinessOptions): Promise<Readiness> {
  const settle = (p: Promise<CheckResult>) => p.catch((err: unknown): CheckResult => ({ ok: false, error: message(err) }));
  // In parallel: the whole answer takes at most one timeout.
  const [database, migrations, worker] = await Promise.all([
    settle(checkDatabase(ctx, timeoutMs)),
    settle(checkMigrations(ctx, timeoutMs)),
    settle(checkWorker(ctx, timeoutMs)),
  ]);
  const checks: Record<CheckName, CheckResult> = database.ok
    ? { database, migrations, worker }
    : // Nothing else can be known without the database: name the one part that failed.
      { database, migrations: { ok: false, error: 'not checked: database unavailable' }, worker: { ok: false, error: 'not checked: database unavailable' } };
  const failed = database.ok ? (Object.keys(checks) as CheckName[]).filter((k) => !checks[k].ok) : (['database'] as CheckName[]);
  return { ok: failed.length === 0, failed, checks };
}
