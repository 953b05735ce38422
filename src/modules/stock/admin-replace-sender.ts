import { eq } from 'drizzle-orm';
import { senders } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';
import { replaceBannedSender } from './replace-banned-sender.js';

export type AdminReplaceSenderOptions = {
  ctx: Pick<AppContext, 'db'>;
  senderId: string;
  adminUserId: string;
};

export type AdminReplaceSenderResult =
  | { outcome: 'replaced'; adbotId: string; replacementId: string; replacementUsername: string }
  | { outcome: 'short'; adbotId: string };

/**
 * An operator retires a sender they know is bad (e.g. Telegram limited it, or the token
 * leaked): it is banned and its adbot gets a replacement through the same path a revoked
 * token takes, so the customer is told and the chats are re-checked the same way.
 */
export async function adminReplaceSender({ ctx, senderId, adminUserId }: AdminReplaceSenderOptions): Promise<AdminReplaceSenderResult> {
  const [sender] = await ctx.db
    .select({ state: senders.state, adbotId: senders.adbotId, username: senders.username })
    .from(senders)
    .where(eq(senders.id, senderId));
  if (!sender) throw new AppError('not_found', 'No such sender');
  // Only a sender working for an adbot has something to replace; banning unused or reserved
  // stock would just shrink it, and a reserved one belongs to a checkout in progress.
  if ((sender.state !== 'assigned' && sender.state !== 'frozen') || !sender.adbotId) {
    throw new AppError('conflict', `Only a sender assigned to a bot can be replaced; this one is ${sender.state}`);
  }

  const result = await replaceBannedSender({ ctx, senderId, reason: 'Replaced by an admin' });
  // Someone (the engine, another admin) got there first: the state changed since the check.
  if (result.outcome === 'already_banned' || result.outcome === 'not_assigned') {
    throw new AppError('conflict', 'This sender changed meanwhile (already banned or released); reload and try again');
  }
  await logActivity({
    db: ctx.db,
    actorUserId: adminUserId,
    actorRole: 'admin',
    action: 'sender.replaced_by_admin',
    subjectType: 'sender',
    subjectId: senderId,
    details: {
      username: sender.username,
      adbotId: result.adbotId,
      outcome: result.outcome,
      ...(result.outcome === 'replaced' ? { replacement: result.replacementUsername } : {}),
    },
  });
  return result;
}
