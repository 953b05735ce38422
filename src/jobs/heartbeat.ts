// Proves the queue round-trips on both databases: the worker records when it last ran.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { settings } from '../db/schema.js';
import { defineJob } from './define-job.js';

export const heartbeatJob = defineJob({
  name: 'heartbeat',
  payload: z.object({ sentAt: z.string() }),
  cron: '* * * * *',
  async handler(ctx, data) {
    const value = { sentAt: data.sentAt, ranAt: new Date().toISOString() };
    await ctx.db
      .insert(settings)
      .values({ key: 'worker.heartbeat', value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
  },
});
