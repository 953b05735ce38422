import { describe, expect, it } from 'vitest';
import { openDatabase } from './client.js';
import { namedQuery, pgArray } from './named-query.js';

const open = () => openDatabase({ ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { inMemory: true }), dataDir: '' });

describe('named statements', () => {
  it('carry arrays of awkward text, nulls and times through unchanged, run after run', async () => {
    const database = await open();
    try {
      const texts = ['plain', 'with "quotes"', 'back\\slash', 'comma, {brace}', '', null, 'NULL', 'ünïcode ✓'];
      const times = ['2026-12-02T15:00:00.000Z', '2026-12-02T15:00:00.123Z'];
      // Past the fifth run PostgreSQL may switch a named statement to its generic plan: same answers.
      for (let run = 0; run < 7; run++) {
        const rows = await namedQuery<{ t: string | null; n: number }>(
          database.db,
          'test_named_roundtrip',
          'select t, ordinality::int as n from unnest($1::text[]) with ordinality as u(t)',
          [pgArray(texts)],
        );
        expect(rows.map((r) => r.t)).toEqual(texts);
        const at = await namedQuery<{ at: Date }>(database.db, 'test_named_times', 'select unnest($1::timestamptz[]) as at', [pgArray(times)]);
        expect(at.map((r) => new Date(r.at).toISOString())).toEqual(times);
      }
    } finally {
      await database.close();
    }
  });
});
