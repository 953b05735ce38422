import { eq } from 'drizzle-orm';
import { adbots } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { checkAdbotChats } from '../engine/check-adbot-chats.js';

export type RecheckChatsOptions = { ctx: Pick<AppContext, 'db' | 'config' | 'log'>; userId: string; now?: Date };

/**
 * The customer's "Re-check" after adding a bot to a chat or fixing its rights: every
 * active chat is checked again now, which is the only way out of `no_access`.
 */
export async function recheckChats({ ctx, userId, now = new Date() }: RecheckChatsOptions): Promise<{ checked: number; ok: number }> {
  const [bot] = await ctx.db.select({ id: adbots.id, status: adbots.status, expiresAt: adbots.expiresAt }).from(adbots).where(eq(adbots.userId, userId));
  if (!bot) throw new AppError('not_found', 'You have no adbot yet: buy a plan first');
  if (bot.status === 'expired' || bot.expiresAt <= now) throw new AppError('plan_inactive', 'Your plan has expired: renew it to check chats again');
  if (bot.status === 'suspended') throw new AppError('plan_inactive', 'Your adbot is suspended: contact support');
  return checkAdbotChats({ ctx, adbotId: bot.id, which: 'all', now });
}
