// The adbot's senders as the engine uses them: who they are, and their token only when a
// real Bot API call needs it (sandbox senders have none worth decrypting).
import { and, asc, eq } from 'drizzle-orm';
import { senders } from '../../db/schema.js';
import type { AppContext } from '../../platform/app-context.js';
import { getSenderToken } from '../stock/get-sender-token.js';

export type EngineSender = { id: string; username: string; botId: bigint; isSandbox: boolean };

export type ListWorkingSendersOptions = { ctx: Pick<AppContext, 'db'>; adbotId: string };

/** Senders that may call Telegram right now: assigned to this adbot, neither frozen nor banned. */
export async function listWorkingSenders({ ctx, adbotId }: ListWorkingSendersOptions): Promise<EngineSender[]> {
  return ctx.db
    .select({ id: senders.id, username: senders.username, botId: senders.telegramBotId, isSandbox: senders.isSandbox })
    .from(senders)
    .where(and(eq(senders.adbotId, adbotId), eq(senders.state, 'assigned')))
    .orderBy(asc(senders.createdAt));
}

/** Tokens by sender id, as promises so that deliveries starting together ask the database once. */
export type SenderTokenCache = Map<string, Promise<string>>;

export type TokenForOptions = { ctx: Pick<AppContext, 'db' | 'config'>; sender: Pick<EngineSender, 'id' | 'isSandbox'>; cache?: SenderTokenCache };

/** The plain token for a real sender, null for a sandbox one. Never log the result. */
export async function tokenFor({ ctx, sender, cache }: TokenForOptions): Promise<string | null> {
  if (sender.isSandbox) return null;
  const cached = cache?.get(sender.id);
  if (cached) return cached;
  const token = getSenderToken({ ctx, senderId: sender.id });
  cache?.set(sender.id, token);
  // A failed read is not kept: the next delivery asks again.
  token.catch(() => cache?.delete(sender.id));
  return token;
}
