// Every checkout picks its senders (reserve-senders.ts): with the state index alone PostgreSQL
// read and sorted every unused sender to take the first few, 2 ms of its CPU per checkout at
// 1,300 in stock (BENCHMARKS.md). The pick must read the unused senders in pick order and stop.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { reservationCtes } from './reserve-senders.js';

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe('the checkout sender pick', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    await sandboxSenders(t, 400);
    await t.ctx.db.execute(sql`analyze senders`);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads the unused senders in pick order through their own index, and sorts none', async () => {
    const res = (await t.ctx.db.execute(sql`explain (format json) with ${reservationCtes(sql`null::uuid`, sql`5`)} select id from reserved`)) as unknown as {
      rows: { 'QUERY PLAN': unknown }[];
    };
    const raw = res.rows[0]!['QUERY PLAN'];
    const [{ Plan }] = (typeof raw === 'string' ? JSON.parse(raw) : raw) as [{ Plan: PlanNode }];
    const all = nodes(Plan);
    expect(all.some((n) => n['Index Name'] === 'senders_unused_pick_idx')).toBe(true);
    expect(all.filter((n) => n['Node Type'] === 'Sort')).toEqual([]);
  });
});
