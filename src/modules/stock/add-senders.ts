import pLimit from 'p-limit';
import { senders } from '../../db/schema.js';
import { maskToken, parseBotToken } from '../../integrations/telegram/bot-token.js';
import { TelegramError } from '../../integrations/telegram/errors.js';
import { type BotInfo, getBotInfo } from '../../integrations/telegram/get-bot-info.js';
import { encrypt } from '../../lib/crypto.js';
import type { AppContext } from '../../platform/app-context.js';
import { logActivity } from '../../platform/log-activity.js';

export type AddSendersOptions = {
  ctx: AppContext;
  tokens: string[];
  /** The admin who pasted them, for the activity log. */
  actorUserId?: string | null;
};

export type AddSendersResult = {
  added: { id: string; username: string }[];
  /** `token` is masked: a full token never leaves this function. */
  rejected: { token: string; reason: string }[];
  /** One outcome per input token, in input order (the CLI reports each line of a file). */
  outcomes: SenderOutcome[];
};

export type SenderOutcome = { token: string } & ({ added: true; id: string; username: string } | { added: false; reason: string });

// getMe calls in flight at once: a 500-token paste finishes quickly without hammering Telegram.
const CONCURRENCY = 8;

/**
 * Validates each token with `getMe`, stores the good ones encrypted as `unused` stock and
 * says why each other one was refused. Stock arriving may complete back-ordered orders,
 * so the back-order job is enqueued with the insert.
 */
export async function addSenders({ ctx, tokens, actorUserId }: AddSendersOptions): Promise<AddSendersResult> {
  const rejected: AddSendersResult['rejected'] = [];
  const outcomes = new Array<SenderOutcome>(tokens.length);
  const reject = (index: number, token: string, reason: string) => {
    rejected.push({ token: maskToken(token), reason });
    outcomes[index] = { token: maskToken(token), added: false, reason };
  };
  const candidates: string[] = [];
  const candidateIndex = new Map<string, number>();
  tokens.forEach((raw, index) => {
    const token = raw.trim();
    if (!parseBotToken(token)) {
      reject(index, token, 'Not a bot token (expected 123456789:AA… from @BotFather, or sandbox:<name>)');
    } else if (candidateIndex.has(token)) {
      reject(index, token, 'Listed twice in this batch');
    } else {
      candidateIndex.set(token, index);
      candidates.push(token);
    }
  });

  type Checked = { token: string; info: BotInfo } | { token: string; reason: string };
  const limit = pLimit(CONCURRENCY);
  const check = async (token: string): Promise<Checked> => {
    try {
      return { token, info: await getBotInfo({ ctx, token }) };
    } catch (err) {
      if (!(err instanceof TelegramError)) throw err;
      const reason =
        err.kind === 'invalid_token'
          ? 'Telegram rejected this token (revoked or wrong)'
          : err.kind === 'unavailable'
            ? 'Telegram could not be reached; try this token again later'
            : `Telegram refused getMe: ${err.message}`;
      return { token, reason };
    }
  };
  const checked = await Promise.all(candidates.map((token) => limit(() => check(token))));

  const valid: { token: string; info: BotInfo }[] = [];
  for (const c of checked) {
    if ('reason' in c) reject(candidateIndex.get(c.token)!, c.token, c.reason);
    else valid.push(c);
  }

  const added: AddSendersResult['added'] = [];
  if (valid.length === 0) return { added, rejected, outcomes };
  await ctx.db.transaction(async (tx) => {
    for (const { token, info } of valid) {
      // The unique bot id decides duplicates, also against a different token of the same bot.
      const [row] = await tx
        .insert(senders)
        .values({
          telegramBotId: info.id,
          username: info.username,
          tokenEncrypted: encrypt(token, ctx.config.encryptionKey),
          isSandbox: info.isSandbox,
          state: 'unused',
        })
        .onConflictDoNothing({ target: senders.telegramBotId })
        .returning({ id: senders.id, username: senders.username });
      if (row) {
        added.push(row);
        outcomes[candidateIndex.get(token)!] = { token: maskToken(token), added: true, ...row };
      } else reject(candidateIndex.get(token)!, token, `@${info.username} is already in stock`);
    }
    if (added.length === 0) return;
    await logActivity({
      db: tx,
      actorUserId: actorUserId ?? null,
      actorRole: actorUserId ? 'admin' : 'system',
      action: 'senders.added',
      subjectType: 'sender',
      details: { count: added.length, usernames: added.map((a) => a.username), rejected: rejected.length },
    });
    await ctx.jobs.send('fulfil-backorders', {}, { tx });
  });
  return { added, rejected, outcomes };
}
