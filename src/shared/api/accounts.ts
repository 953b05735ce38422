// Signing in and out, account recovery and "who am I" (SPEC §6).
import { z } from 'zod';
import { emailInput, idSchema, okSchema, roleSchema } from './common.js';

export const loginBodySchema = z.object({ accessCode: z.string().trim().min(1, 'Enter your access code').max(200) });

export const sessionSchema = z.object({
  /** The session token, for `Authorization: Bearer`; browsers use the HttpOnly cookie set with it. */
  token: z.string(),
  role: roleSchema,
});
export type Session = z.infer<typeof sessionSchema>;

export const logoutResponseSchema = okSchema;

export const recoverBodySchema = z.object({ email: emailInput });

/** Always the same answer, whether or not the address has an account: it must not tell. */
export const recoverAcceptedSchema = z.object({ ok: z.literal(true), message: z.string() });

export const redeemRecoveryBodySchema = z.object({ token: z.string().trim().min(1, 'token is required').max(200) });

export const recoveredSchema = sessionSchema.extend({
  /** The new access code: the old one and every earlier session stop working. */
  accessCode: z.string(),
});
export type Recovered = z.infer<typeof recoveredSchema>;

export const meSchema = z.object({ id: idSchema, role: roleSchema, email: z.string().nullable() });
export type Me = z.infer<typeof meSchema>;
