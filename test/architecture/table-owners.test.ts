// One owner per table for writes (issue 8): orders are written only by checkout, payments and
// payment_events only by payments, adbots only by adbots. Other modules read with joins and
// write through a function of the owner (checkout's transitionOrder, payments' payment-records,
// adbots' adbot-lifecycle). This scans the server code for writes and names any out of place.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Table (drizzle name and SQL name) → the folder that owns its writes. */
const tableOwners = [
  { table: 'orders', sql: 'orders', owner: 'src/modules/checkout/' },
  { table: 'payments', sql: 'payments', owner: 'src/modules/payments/' },
  { table: 'paymentEvents', sql: 'payment_events', owner: 'src/modules/payments/' },
  { table: 'adbots', sql: 'adbots', owner: 'src/modules/adbots/' },
] as const;

/** Test code and the in-module fixtures (on their way to test/factories/) may write anything. */
const isTestCode = (file: string) => /\.test\.ts$/.test(file);

type TableWrite = { table: string; line: number; text: string };

/** Every write to an owned table in one file's source: drizzle `.insert(t)`/`.update(t)`/`.delete(t)` and raw SQL. */
function findTableWrites(source: string): TableWrite[] {
  const found: TableWrite[] = [];
  for (const { table, sql } of tableOwners) {
    const patterns = [
      new RegExp(`\\.(?:insert|update|delete)\\(\\s*${table}\\s*\\)`, 'g'),
      new RegExp(`\\b(?:insert\\s+into|update|delete\\s+from)\\s+(?:"?${sql}"?|\\$\\{\\s*${table}\\s*\\})(?=[\\s(;\`]|$)`, 'gi'),
    ];
    for (const pattern of patterns) {
      for (const match of source.matchAll(pattern)) {
        const line = source.slice(0, match.index).split('\n').length;
        found.push({ table: sql, line, text: match[0].replace(/\s+/g, ' ') });
      }
    }
  }
  return found;
}

function serverFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverFiles(full);
    return entry.name.endsWith('.ts') && !isTestCode(entry.name) ? [full] : [];
  });
}

describe('one owner per table for writes', () => {
  it('finds drizzle and raw SQL writes (the scan itself can fail)', () => {
    const sample = [
      'await tx.update(orders).set({ status })',
      'await tx\n  .insert(\n    adbots\n  ).values(x)',
      'await db.delete(paymentEvents)',
      "await db.execute(sql`update payments set status = 'failed'`)",
      'await db.execute(sql`insert into \u0024{adbots} (user_id) values (1)`)', // \u0024 = $: drizzle's interpolated table
      'await db.execute(sql`DELETE FROM "payment_events" where id = 1`)',
      // Reads and other tables are not writes to an owned table:
      'await db.select().from(orders)',
      'await tx.update(senders).set({ orderId })',
      'sql`update orders_archive set x = 1`',
    ].join('\n');
    expect(findTableWrites(sample).map((w) => `${w.line}:${w.table}`)).toEqual([
      '1:orders',
      '7:payments',
      '6:payment_events',
      '9:payment_events',
      '3:adbots',
      '8:adbots',
    ]);
  });

  it('writes to orders, payments, payment_events and adbots happen only in their owning module', () => {
    const outOfPlace: string[] = [];
    for (const file of serverFiles(path.join(root, 'src'))) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      for (const write of findTableWrites(readFileSync(file, 'utf8'))) {
        const { owner } = tableOwners.find((t) => t.sql === write.table)!;
        if (!rel.startsWith(owner)) outOfPlace.push(`${rel}:${write.line} writes ${write.table} (${write.text}); owner is ${owner}`);
      }
    }
    expect(outOfPlace).toEqual([]);
  });
});
