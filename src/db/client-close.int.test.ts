import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';

const settleOrPending = (p: Promise<unknown>) =>
  Promise.race([
    p.then(
      () => 'resolved',
      (err: Error) => `rejected: ${err.message}`,
    ),
    new Promise((r) => setTimeout(() => r('pending'), 100)),
  ]);

// pg-boss 10 completes or fails a job without awaiting the call; one that lands after the
// database closed must neither reject unobserved nor crash inside pg-boss on an empty result.
describe('the SQL executor after close', () => {
  it('leaves a straggling pg-boss write pending instead of rejecting or crashing pg-boss', async () => {
    const database = await openDatabase({
      ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { inMemory: true }),
      dataDir: '',
    });
    await database.executor.executeSql('select 1', []);
    await database.close();
    const boss = new PgBoss({ db: database.executor, schema: 'pgboss' });
    expect(await settleOrPending(boss.fail('fulfil-order', randomUUID(), {}, { db: database.executor }))).toBe('pending');
    expect(await settleOrPending(database.executor.executeSql('select 1', []))).toBe('pending');
  });
});
