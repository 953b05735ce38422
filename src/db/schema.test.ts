import { readdirSync } from 'node:fs';
import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from './schema.js';

// drizzle-kit (drizzle.config.ts) and the app read the tables through schema.ts: a table file
// that schema.ts forgets would be left out of every generated migration.
describe('schema.ts', () => {
  const files = readdirSync(new URL('./schema/', import.meta.url)).filter((f) => f.endsWith('.ts') && f !== 'columns.ts');

  it('has one file per owner, each with at least one table', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('re-exports every table of schema/%s', async (file) => {
    const mod: Record<string, unknown> = await import(`./schema/${file}`);
    const tables = Object.entries(mod).filter(([, v]) => is(v, PgTable));
    expect(tables.length).toBeGreaterThan(0);
    for (const [name, table] of tables) expect((schema as Record<string, unknown>)[name], name).toBe(table);
  });
});
