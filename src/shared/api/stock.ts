// The stock of sender bots as the admin panel reads it. Isomorphic (zod only). A token never
// appears here: pasted tokens come back masked, listed senders carry none.
import { z } from 'zod';
import { isoDateTime } from './common.js';

export const senderStates = ['unused', 'reserved', 'assigned', 'frozen', 'banned'] as const;
export type SenderState = (typeof senderStates)[number];

export const senderSchema = z
  .object({
    id: z.guid(),
    telegramBotId: z.string(),
    username: z.string(),
    state: z.enum(senderStates),
    isSandbox: z.boolean(),
    orderId: z.guid().nullable(),
    adbotId: z.guid().nullable(),
    /** Who the sender works for (through its adbot, or the order holding it). */
    customerId: z.guid().nullable(),
    customerEmail: z.string().nullable(),
    orderNumber: z.number().int().nullable(),
    frozenUntil: isoDateTime.nullable(),
    lastError: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Sender' });
export type Sender = z.infer<typeof senderSchema>;

export const sendersSchema = z.object({
  senders: z.array(senderSchema),
  /** Senders matching the filter. */
  total: z.number().int(),
  /** The whole stock by state. */
  counts: z.object(Object.fromEntries(senderStates.map((s) => [s, z.number().int()])) as Record<SenderState, z.ZodNumber>),
});

export const addSendersBodySchema = z.object({
  tokens: z.array(z.string().max(200, 'a token is at most 200 characters')).min(1, 'paste at least one token').max(500, 'at most 500 tokens at a time'),
});

const maskedToken = z.string().describe('The token masked: never the whole of it');
export const addSendersResultSchema = z.object({
  added: z.number().int(),
  senders: z.array(z.object({ id: z.guid(), username: z.string() })),
  rejected: z.array(z.object({ token: maskedToken, reason: z.string() })),
  /** One per token sent, in the order sent. */
  outcomes: z.array(
    z.union([
      z.object({ token: maskedToken, added: z.literal(true), id: z.guid(), username: z.string() }),
      z.object({ token: maskedToken, added: z.literal(false), reason: z.string() }),
    ]),
  ),
});
export type AddSendersResult = z.infer<typeof addSendersResultSchema>;

/** POST /api/admin/senders/:id/replace: the bad sender is banned; its bot gets one from stock, or is left short. */
export const replaceSenderResultSchema = z.object({
  outcome: z.enum(['replaced', 'short']),
  adbotId: z.guid(),
  replacement: z.object({ id: z.guid(), username: z.string() }).nullable(),
});
