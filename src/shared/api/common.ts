// Building blocks of the API contract that more than one area uses. Isomorphic: zod only.
import { z } from 'zod';

/** A moment as it travels in JSON: an ISO 8601 string in UTC (`Date#toISOString()`). */
export const isoDateTime = z.iso.datetime({ offset: true });

/** Who a session belongs to. */
export const roleSchema = z.enum(['customer', 'reseller', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** `{ok: true}`: the action was done and there is nothing more to say. */
export const okSchema = z.object({ ok: z.literal(true) });

/** An email address as a person types it: trimmed, at most 254 characters. */
export const emailInput = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'enter a valid email address' }));

/** A row id in an answer (any 8-4-4-4-12 hex id: answers are not where versions are judged). */
export const idSchema = z.guid();
