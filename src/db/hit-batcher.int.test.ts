import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementsOf } from '../../test/helpers/statements.js';
import { startTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { hitBatcher } from './hit-batcher.js';
import { readHits } from './hit-counter.js';

describe('rate-limit hits batched per event-loop turn', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
  });
  afterAll(async () => t?.close());

  it('hits asked for in one turn are one statement, and each caller gets the count its own statement would have', async () => {
    const count = hitBatcher({ db: t.ctx.db, windowMs: 60_000 });
    let answers: { hits: number }[][] = [];
    const statements = await statementsOf(t, async () => {
      answers = await Promise.all([count(['batch-ip:a', 'batch-email:1']), count(['batch-ip:a', 'batch-email:2']), count(['batch-ip:a'])]);
    });
    expect(statements.filter((q) => /insert into "rate_limit_hits"/.test(q))).toHaveLength(1);
    expect(answers.map((a) => a.map((h) => h.hits))).toEqual([[1, 1], [2, 1], [3]]);
    // The next turn adds to what the first one left.
    expect((await count(['batch-ip:a']))[0]!.hits).toBe(4);
    expect((await readHits({ db: t.ctx.db, key: 'batch-ip:a' })).hits).toBe(4);
    expect((await readHits({ db: t.ctx.db, key: 'batch-email:2' })).hits).toBe(1);
  });

  it('a batch that reaches maxBatch goes out at once, and a failed statement fails every caller in it', async () => {
    const count = hitBatcher({ db: t.ctx.db, windowMs: 60_000, maxBatch: 2 });
    const answers = await Promise.all([count(['max-ip:b']), count(['max-ip:b']), count(['max-ip:b'])]);
    expect(answers.map((a) => a[0]!.hits)).toEqual([1, 2, 3]);
    const broken = hitBatcher({ db: t.ctx.db, windowMs: Number.NaN });
    const results = await Promise.allSettled([broken(['nan:1']), broken(['nan:2'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
