// GET /api/health and GET /api/meta: is it up, and what the web app needs to know about this install.
import { z } from 'zod';

export const healthSchema = z.object({ ok: z.literal(true), database: z.enum(['embedded', 'postgres']) });

/** Test mode shows the banner and the payment simulator. */
export const metaSchema = z.object({ testMode: z.boolean() });
export type Meta = z.infer<typeof metaSchema>;
