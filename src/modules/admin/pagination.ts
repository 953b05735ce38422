import { z } from 'zod';

/** `?limit=&offset=` for every admin list: small pages by default, bounded so a list never scans everything. */
export const pageQuery = z.object({
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(200, 'limit is at most 200')
    .default(50),
  offset: z.coerce
    .number({ error: 'offset must be a number' })
    .int('offset must be a whole number')
    .min(0, 'offset must be 0 or more')
    .max(1_000_000)
    .default(0),
});

export type Page = z.infer<typeof pageQuery>;
