// The fleet for bench/engine.ts, written straight into a fresh PostgreSQL database: no use
// case can make 10,000 paid adbots in seconds, and the engine only reads these rows. Every
// row is what fulfilment and the chat check would leave: a running adbot on a custom plan
// with a text ad, one real (non-sandbox) sender assigned to it whose token is sealed like
// stock's add-senders does (AES-256-GCM with ENCRYPTION_KEY), and target chats checked `ok`
// with their chat id and sender set.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type pg from 'pg';
import { encrypt } from '../../src/lib/crypto.js';
import { PG_SERVER, REPO_ROOT, withServer } from '../hostile/stack.js';

const run = promisify(execFile);

export const BENCH_DB = 'hqadz_bench_engine';

/** The connection URL of a database on the bench server. */
export function dbUrl(name: string): string {
  const url = new URL(PG_SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function recreateDatabase(name: string): Promise<void> {
  await withServer(async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await withServer((c) => c.query(`drop database if exists ${name} with (force)`));
}

/** The app's own migration path (`hqadz migrate`: SQL migrations, plan seed, pg-boss schema). */
export async function migrate(env: NodeJS.ProcessEnv): Promise<void> {
  await run(process.execPath, ['dist/cli.js', 'migrate'], { cwd: REPO_ROOT, env });
}

/** Telegram's own shape (bot id, colon, 35 characters), so the token parser takes it as real. */
function botToken(botId: number): string {
  return `${botId}:AA${randomBytes(25).toString('base64url').slice(0, 33)}`;
}

export type ProvisionOptions = { db: pg.Pool; adbots: number; chats: number; interval: number; encryptionKey: string };

/** Bot ids start here: far from sandbox ids (≥ 2^52) and from each other run's by the fresh database. */
const FIRST_BOT_ID = 7_000_000_000;

/** Chat ids: -100… like Telegram's supergroups, one per (adbot, position). */
export const chatIdFor = (adbot: number, position: number, chats: number) => -(1_000_000_000_000 + adbot * chats + position);

export async function provisionFleet({ db, adbots, chats, interval, encryptionKey }: ProvisionOptions): Promise<void> {
  const key = Buffer.from(encryptionKey, 'hex');
  const sealed = Array.from({ length: adbots }, (_, i) => encrypt(botToken(FIRST_BOT_ID + i + 1), key));
  const c = await db.connect();
  try {
    await c.query('begin');
    const plan = await c.query<{ id: string }>(
      `insert into plans (slug, name, plan_type, price_cents, senders, posting_interval_seconds, validity_days, active, sort_order)
       values ($1, $2, 'starter', 100, 1, $3, 30, false, 99) returning id`,
      [`bench-${interval}s`, `Bench ${interval} s`, interval],
    );
    // One row per adbot with the ids every table needs, so the inserts below are set-based.
    await c.query(
      `create temp table fleet on commit drop as
       select i, gen_random_uuid() as user_id, gen_random_uuid() as adbot_id, gen_random_uuid() as sender_id
       from generate_series(1, $1::int) as i`,
      [adbots],
    );
    await c.query(`insert into users (id, email, role) select user_id, 'bench-' || i || '@example.com', 'customer' from fleet`);
    await c.query(
      `insert into adbots (id, user_id, plan_id, status, posting_interval_seconds, sender_count, expires_at, post)
       select adbot_id, user_id, $1, 'running', $2, 1, now() + interval '30 days', $3::jsonb from fleet`,
      [plan.rows[0]!.id, interval, JSON.stringify({ type: 'text', text: '<b>HQAdz bench</b>: an ad with a <a href="https://example.com">link</a>.' })],
    );
    await c.query(
      `insert into senders (id, telegram_bot_id, username, token_encrypted, is_sandbox, state, adbot_id)
       select sender_id, $1::bigint + i, 'hqbench_' || ($1::bigint + i) || '_bot', ($2::text[])[i], false, 'assigned', adbot_id from fleet`,
      [FIRST_BOT_ID, sealed],
    );
    await c.query(
      `insert into target_chats (adbot_id, ref, chat_id, title, chat_type, sender_id, status, last_checked_at, position)
       select f.adbot_id, chat_id::text, chat_id, 'Bench chat ' || chat_id, 'supergroup', f.sender_id, 'ok', now(), p
       from fleet f, generate_series(0, $1::int - 1) as p, lateral (select -(1000000000000 + f.i * $1::bigint + p) as chat_id) as ids`,
      [chats],
    );
    // What the bench itself needs later: each chat's first due time (the old engine keeps no
    // due time, so its lag is derived from this and the epoch slot).
    await c.query('create table bench_first_due (target_chat_id uuid primary key, offset_s double precision not null, due_at timestamptz)');
    await c.query('insert into bench_first_due (target_chat_id, offset_s) select id, random() * $1::int from target_chats', [interval]);
    await c.query('commit');
  } catch (err) {
    await c.query('rollback').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
  await db.query('vacuum analyze');
}

export type ScheduleOptions = { db: pg.Pool; start: Date; cold: boolean };

/**
 * Sets each chat's first due time just before the workers start. Spread: uniformly at random
 * over one interval after `start`, as a real fleet started at random times is. Cold: every
 * chat due at `start` at once (the peak drain the issue asks for).
 */
export async function scheduleFirstPosts({ db, start, cold }: ScheduleOptions): Promise<void> {
  await db.query(`update bench_first_due set due_at = $1::timestamptz + (case when $2 then 0 else offset_s end) * interval '1 second'`, [start, cold]);
  await db.query('update target_chats t set next_post_at = b.due_at from bench_first_due b where b.target_chat_id = t.id');
}
