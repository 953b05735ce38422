// Preloaded into the app under test (`node --import ./bench/lib/count-queries.mjs dist/main.js`):
// counts every node-postgres round trip by statement, so a bench can divide by requests and
// see which queries a request makes. SIGUSR2 writes the counts to BENCH_QUERY_COUNT_FILE.
import { writeFileSync } from 'node:fs';
import pg from 'pg';

const counts = new Map();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(config, ...rest) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text === 'string') {
    // One key per statement shape: whitespace folded, long statements cut.
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 160);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return original.call(this, config, ...rest);
};

process.on('SIGUSR2', () => {
  const file = process.env.BENCH_QUERY_COUNT_FILE;
  if (file) writeFileSync(file, JSON.stringify(Object.fromEntries(counts)));
});
