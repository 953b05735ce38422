// One Telegram update for one sender bot, from getUpdates or the webhook. Only my_chat_member
// matters (the bot added to, or removed from, a chat); any other update, or a shape we do not
// know, only moves the sender's offset on. The effect and the offset are one transaction, so an
// update read twice (a retried webhook, two polls across a lease hand-over) acts once.
import { and, eq, gte, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/client.js';
import { adbots, discoveredChats, senders, targetChats } from '../../../db/schema.js';
import type { AppContext } from '../../../platform/app-context.js';
import { notifyUser } from '../../../platform/notifications/notify-user.js';
import { acceptSenderUpdate } from '../../stock/record-sender-updates.js';
import { type AccessProblem, accessFix, postingProblem } from '../access-fix.js';

const updateIdSchema = z.object({ update_id: z.number().int().nonnegative() });

const memberSchema = z.looseObject({
  status: z.enum(['creator', 'administrator', 'member', 'restricted', 'left', 'kicked']),
  is_member: z.boolean().optional(),
  can_post_messages: z.boolean().optional(),
  can_send_messages: z.boolean().optional(),
});

const myChatMemberSchema = z.looseObject({
  chat: z.looseObject({
    id: z.number().int(),
    type: z.string(),
    title: z.string().optional(),
    username: z.string().optional(),
  }),
  old_chat_member: memberSchema,
  new_chat_member: memberSchema,
});

export type MyChatMember = z.infer<typeof myChatMemberSchema>;

export type HandleUpdateOptions = {
  ctx: Pick<AppContext, 'db' | 'log'>;
  senderId: string;
  /** As Telegram sent it: validated here. */
  update: unknown;
  now?: Date;
};

/**
 * `invalid`: no update_id (nothing to confirm); `duplicate`: already applied; `ignored`: not
 * ours to act on (another type, a private chat, a sender no live adbot uses); else what changed.
 */
export type HandleUpdateResult = {
  updateId: number | null;
  effect: 'invalid' | 'duplicate' | 'ignored' | 'recheck' | 'removed' | 'discovered' | 'unchanged';
};

const LIVE_ADBOT = ['running', 'stopped'] as const;

export async function handleUpdate({ ctx, senderId, update, now = new Date() }: HandleUpdateOptions): Promise<HandleUpdateResult> {
  const id = updateIdSchema.safeParse(update);
  if (!id.success) {
    ctx.log.warn({ senderId }, 'telegram update without update_id ignored');
    return { updateId: null, effect: 'invalid' };
  }
  const updateId = id.data.update_id;
  const raw = (update as Record<string, unknown>).my_chat_member;
  const parsed = raw === undefined ? null : myChatMemberSchema.safeParse(raw);
  if (parsed && !parsed.success) ctx.log.warn({ senderId, updateId, issues: parsed.error.issues.slice(0, 3) }, 'my_chat_member of an unknown shape ignored');

  return ctx.db.transaction(async (tx) => {
    const sender = await acceptSenderUpdate(tx, senderId, updateId);
    if (!sender) return { updateId, effect: 'ignored' as const };
    if (sender === 'duplicate') return { updateId, effect: 'duplicate' as const };
    if (!parsed?.success || !sender.adbotId || (sender.state !== 'assigned' && sender.state !== 'frozen')) {
      return { updateId, effect: 'ignored' as const };
    }
    const m = parsed.data;
    if (m.chat.type === 'private') return { updateId, effect: 'ignored' as const };
    const [bot] = await tx
      .select({ id: adbots.id, userId: adbots.userId })
      .from(adbots)
      .where(
        and(
          eq(adbots.id, sender.adbotId),
          sql`${adbots.status} in (${sql.join(
            LIVE_ADBOT.map((s) => sql`${s}`),
            sql`, `,
          )})`,
          sql`${adbots.expiresAt} > ${now.toISOString()}::timestamptz`,
        ),
      );
    if (!bot) return { updateId, effect: 'ignored' as const };
    const effect = await applyMembership({ tx, bot, sender: { id: sender.id, username: sender.username }, m, updateId, now });
    return { updateId, effect };
  });
}

type Tx = DbOrTx;

type ApplyOptions = {
  tx: Tx;
  bot: { id: string; userId: string };
  sender: { id: string; username: string };
  m: MyChatMember;
  updateId: number;
  now: Date;
};

/** In the chat (possibly without the right to post) or out of it. */
function isInChat(member: MyChatMember['new_chat_member']): boolean {
  if (member.status === 'left' || member.status === 'kicked') return false;
  return !(member.status === 'restricted' && member.is_member === false);
}

async function applyMembership({ tx, bot, sender, m, updateId, now }: ApplyOptions): Promise<HandleUpdateResult['effect']> {
  const chatId = BigInt(m.chat.id);
  const username = m.chat.username?.toLowerCase() ?? null;
  const title = m.chat.title ?? null;
  // A listed chat is matched by its id once checked, or by the @username or id it was listed as.
  const listed = await tx
    .select()
    .from(targetChats)
    .where(
      and(
        eq(targetChats.adbotId, bot.id),
        gte(targetChats.position, 0),
        or(
          eq(targetChats.chatId, chatId),
          eq(targetChats.ref, chatId.toString()),
          ...(username ? [eq(targetChats.username, username), eq(targetChats.ref, `@${username}`)] : []),
        ),
      ),
    );

  if (isInChat(m.new_chat_member)) {
    if (listed.length === 0) {
      await tx
        .insert(discoveredChats)
        .values({ adbotId: bot.id, senderId: sender.id, chatId, chatType: m.chat.type, title, username, status: 'member' })
        .onConflictDoUpdate({
          target: [discoveredChats.adbotId, discoveredChats.chatId],
          set: { senderId: sender.id, chatType: m.chat.type, title, username, status: 'member', updatedAt: now },
        });
      return 'discovered';
    }
    let changed = false;
    for (const chat of listed) {
      // An ok chat stays ok unless this bot serves it and may no longer post (a channel admin demoted).
      const problem = postingProblem(m.chat.type, m.new_chat_member);
      if (chat.status === 'ok' && !(chat.senderId === sender.id && problem)) continue;
      if (chat.status === 'pending') continue;
      // Checked on the engine's next tick (pending chats come first), so it posts on its next slot.
      await tx
        .update(targetChats)
        .set({
          status: 'pending',
          checkFailures: 0,
          nextCheckAt: null,
          chatId,
          lastError: `Telegram says @${sender.username} was added to this chat: checking it now`,
        })
        .where(eq(targetChats.id, chat.id));
      changed = true;
    }
    return changed ? 'recheck' : 'unchanged';
  }

  // Out of the chat: never offered again, and listed chats it served leave the schedule now.
  await tx
    .update(discoveredChats)
    .set({ status: 'left', updatedAt: now })
    .where(and(eq(discoveredChats.adbotId, bot.id), eq(discoveredChats.chatId, chatId)));
  const others = await tx
    .select({ id: senders.id })
    .from(senders)
    .where(and(eq(senders.adbotId, bot.id), ne(senders.id, sender.id), eq(senders.state, 'assigned')))
    .limit(1);
  const problem: AccessProblem = m.new_chat_member.status === 'kicked' ? 'kicked' : 'not_member';
  let removed = false;
  for (const chat of listed) {
    const served = chat.senderId === sender.id || chat.senderId === null;
    if (!served || (chat.status !== 'ok' && chat.status !== 'pending')) continue;
    if (others.length > 0) {
      // Another of the customer's bots may be in the chat: the check finds out (or says no_access).
      await tx
        .update(targetChats)
        .set({ status: 'pending', senderId: null, chatId, lastError: `@${sender.username} was removed from this chat: checking your other bots` })
        .where(eq(targetChats.id, chat.id));
      continue;
    }
    const fix = accessFix(problem, sender.username, m.chat.type, chat.ref);
    // No automatic re-check (next_check_at null): the update that adds the bot back brings the chat back.
    await tx
      .update(targetChats)
      .set({ status: 'no_access', senderId: null, chatId, lastError: fix, lastCheckedAt: now, nextCheckAt: null, checkFailures: 0 })
      .where(eq(targetChats.id, chat.id));
    await notifyUser({
      db: tx,
      userId: bot.userId,
      kind: 'chat_removed',
      title: `@${sender.username} was removed from ${title ?? chat.ref}`,
      body: `Posting to ${title ?? chat.ref} stopped: ${fix}.`,
      dedupeKey: `chat_removed:${chat.id}:${updateId}`,
    });
    removed = true;
  }
  return removed ? 'removed' : 'unchanged';
}
