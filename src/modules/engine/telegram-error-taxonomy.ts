// What a refused send means, decided from Telegram's own words. Telegram's error_code says
// little (one 400 is a dead image URL, another a chat the bot may not write to), so each
// description pattern gets one verdict: the chat cannot be posted to (it leaves the schedule
// and the customer sees the fix), the ad itself is wrong (the ad is paused everywhere and the
// customer told once), or it is transient (retried next slot). 429 never gets here: the
// scheduler handles flood waits before a failure is recorded.
//
// Sources for the descriptions, checked against each row:
//   [botapi]  tdlib/telegram-bot-api, telegram-bot-api/Client.cpp: check_chat_access() writes the
//             "bot was kicked / is not a member of the … chat", "the group chat was deleted" and
//             "user is deactivated" texts; fail_query_with_error() turns MTProto's WEBPAGE_CURL_FAILED
//             into "Failed to get HTTP URL content" and WEBPAGE_MEDIA_EMPTY into "Wrong type of the
//             web page content", and passes other UPPER_CASE MTProto errors through as "Bad Request: X".
//   [teloxide] teloxide/teloxide, crates/teloxide-core/src/errors.rs: the ApiError list
//             (GroupDeactivated, NotEnoughRightsToPostMessages, MessageIdInvalid, ButtonUrlInvalid, …).
//   Issue threads with the live answer quoted: teloxide/teloxide#450 (admin rights in a channel),
//   rteixeirax/qbittorrent_telegram_notification#12 (TOPIC_CLOSED), bostrot/telegram-support-bot#71
//   (kicked), yagop/node-telegram-bot-api#184 and #425, python-telegram-bot#2917 (file/URL errors).
import { TelegramError } from '../../integrations/telegram/errors.js';
import type { AccessProblem } from './access-fix.js';

export type ErrorVerdict =
  /** Terminal for this chat: it leaves the schedule until a re-check finds it reachable. */
  | { kind: 'chat'; status: 'no_access' | 'not_found'; problem: AccessProblem }
  /** The ad cannot be sent anywhere as it is: pause it and tell the customer `reason`. */
  | { kind: 'ad'; reason: string }
  /** Transient, or not known yet: try again next slot (`unknown` counts towards giving up). */
  | { kind: 'retry'; unknown?: boolean };

export type TaxonomyRow = {
  /** Matched against Telegram's description, case-insensitively. */
  pattern: RegExp;
  /** Limits the row to these error codes; any code when absent. */
  codes?: readonly number[];
  verdict: ErrorVerdict;
  /** A real answer this row is for: its source above, and what the tests replay against the fake. */
  example: readonly [errorCode: number, description: string];
};

const chat = (status: 'no_access' | 'not_found', problem: AccessProblem): ErrorVerdict => ({ kind: 'chat', status, problem });
const ad = (reason: string): ErrorVerdict => ({ kind: 'ad', reason });

/** Order matters: the first matching row wins (the photo-rights row before the general rights rows). */
export const TELEGRAM_ERROR_ROWS: readonly TaxonomyRow[] = [
  // ---- the chat: the bot may not post here --------------------------------------------------
  // [teloxide] NotEnoughRightsToPostMessages; teloxide#450: a channel admin without "Post messages".
  {
    pattern: /need administrator rights in the channel chat/i,
    verdict: chat('no_access', 'not_admin'),
    example: [400, 'Bad Request: need administrator rights in the channel chat'],
  },
  // MTProto CHAT_ADMIN_REQUIRED passed through [botapi].
  { pattern: /CHAT_ADMIN_REQUIRED/, verdict: chat('no_access', 'not_admin'), example: [400, 'Bad Request: CHAT_ADMIN_REQUIRED'] },
  // MTProto CHANNEL_PRIVATE [botapi]: a private channel the bot is not in (or was removed from).
  { pattern: /CHANNEL_PRIVATE/, verdict: chat('no_access', 'channel_private'), example: [400, 'Bad Request: CHANNEL_PRIVATE'] },
  // [teloxide] GroupDeactivated; [botapi] "the group chat was deleted"; older servers said "group chat was deactivated".
  { pattern: /group is deactivated/i, verdict: chat('not_found', 'chat_gone'), example: [400, 'Bad Request: group is deactivated'] },
  {
    pattern: /group chat was deactivated|group chat was deleted/i,
    verdict: chat('not_found', 'chat_gone'),
    example: [403, 'Forbidden: the group chat was deleted'],
  },
  // rteixeirax/qbittorrent_telegram_notification#12: a forum whose General topic is closed.
  { pattern: /TOPIC_CLOSED/, verdict: chat('no_access', 'topic_closed'), example: [400, 'Bad Request: TOPIC_CLOSED'] },
  // [botapi] check_chat_access; bostrot/telegram-support-bot#71.
  { pattern: /bot was kicked/i, verdict: chat('no_access', 'kicked'), example: [403, 'Forbidden: bot was kicked from the supergroup chat'] },
  { pattern: /bot is not a member/i, verdict: chat('no_access', 'not_member'), example: [403, 'Forbidden: bot is not a member of the channel chat'] },
  // [teloxide] ChatNotFound. (For a channel-post ad it can also mean the source channel: the re-check tells them apart.)
  { pattern: /chat not found/i, verdict: chat('not_found', 'not_found'), example: [400, 'Bad Request: chat not found'] },
  // MTProto PEER_ID_INVALID [botapi]: an id Telegram does not know for this bot.
  { pattern: /PEER_ID_INVALID/, verdict: chat('not_found', 'not_found'), example: [400, 'Bad Request: PEER_ID_INVALID'] },
  // tdlib's per-right refusals: the group forbids members (or this bot) photos, or all messages.
  {
    pattern: /not enough rights to send (photos|videos|documents|media)/i,
    verdict: chat('no_access', 'no_media_right'),
    example: [400, 'Bad Request: not enough rights to send photos to the chat'],
  },
  {
    pattern: /not enough rights to send/i,
    verdict: chat('no_access', 'restricted'),
    example: [400, 'Bad Request: not enough rights to send text messages to the chat'],
  },
  { pattern: /CHAT_WRITE_FORBIDDEN/, verdict: chat('no_access', 'restricted'), example: [400, 'Bad Request: CHAT_WRITE_FORBIDDEN'] },
  { pattern: /have no rights to send a message/i, verdict: chat('no_access', 'restricted'), example: [400, 'Bad Request: have no rights to send a message'] },
  { pattern: /CHAT_RESTRICTED/, verdict: chat('no_access', 'restricted'), example: [400, 'Bad Request: CHAT_RESTRICTED'] },
  // Private chats with people or bots are not ad targets ([botapi], [teloxide] UserDeactivated, CantTalkWithBots, BotBlocked).
  { pattern: /user is deactivated/i, verdict: chat('not_found', 'private_chat'), example: [403, 'Forbidden: user is deactivated'] },
  { pattern: /bots? can't send messages to bots/i, verdict: chat('no_access', 'private_chat'), example: [403, "Forbidden: bot can't send messages to bots"] },
  {
    pattern: /bot was blocked by the user|can't initiate conversation/i,
    verdict: chat('no_access', 'private_chat'),
    example: [403, 'Forbidden: bot was blocked by the user'],
  },

  // ---- the ad: no chat can take it as it is ------------------------------------------------
  // [teloxide] WrongFileIdOrUrl; yagop/node-telegram-bot-api#184, #425; python-telegram-bot#2917.
  {
    pattern: /wrong file identifier\/HTTP URL specified|wrong remote file identifier|wrong HTTP URL/i,
    verdict: ad('Telegram cannot use the image link in your ad'),
    example: [400, 'Bad Request: wrong file identifier/HTTP URL specified'],
  },
  // [botapi] WEBPAGE_CURL_FAILED.
  {
    pattern: /failed to get HTTP URL content/i,
    verdict: ad('Telegram could not download the image in your ad (the link is dead or blocks Telegram)'),
    example: [400, 'Bad Request: failed to get HTTP URL content'],
  },
  // [botapi] WEBPAGE_MEDIA_EMPTY: the link answers, but not with an image.
  {
    pattern: /wrong type of the web page content/i,
    verdict: ad('the image link in your ad does not point to an image'),
    example: [400, 'Bad Request: wrong type of the web page content'],
  },
  // copyMessage of a deleted channel post ([teloxide] MessageIdInvalid; the "message to copy" text is tdlib's).
  {
    pattern: /message to copy not found/i,
    verdict: ad('the channel post your ad copies was deleted, or the bot can no longer see it'),
    example: [400, 'Bad Request: message to copy not found'],
  },
  {
    pattern: /MESSAGE_ID_INVALID/,
    verdict: ad('the channel post your ad copies was deleted, or the bot can no longer see it'),
    example: [400, 'Bad Request: MESSAGE_ID_INVALID'],
  },
  // [teloxide] CantParseEntities: the ad's HTML does not parse.
  {
    pattern: /can't parse entities/i,
    verdict: ad("Telegram could not read your ad's formatting"),
    example: [400, "Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 12"],
  },
  // [teloxide] MessageIsTooLong; captions are capped at 1,024 characters.
  {
    pattern: /message is too long|MESSAGE_TOO_LONG/i,
    verdict: ad('your ad text is longer than Telegram allows (4,096 characters)'),
    example: [400, 'Bad Request: message is too long'],
  },
  {
    pattern: /caption is too long|MEDIA_CAPTION_TOO_LONG/i,
    verdict: ad('your ad text is too long to go with an image (1,024 characters)'),
    example: [400, 'Bad Request: message caption is too long'],
  },
  // [teloxide] ButtonUrlInvalid.
  { pattern: /BUTTON_URL_INVALID/, verdict: ad('a button in your ad has a link Telegram does not accept'), example: [400, 'Bad Request: BUTTON_URL_INVALID'] },
  // MTProto photo errors passed through [botapi]; [teloxide] ImageProcessFailed.
  {
    pattern: /PHOTO_INVALID_DIMENSIONS/,
    verdict: ad('the image in your ad has a size Telegram refuses (too large, too small or too narrow)'),
    example: [400, 'Bad Request: PHOTO_INVALID_DIMENSIONS'],
  },
  { pattern: /IMAGE_PROCESS_FAILED/, verdict: ad('Telegram could not process the image in your ad'), example: [400, 'Bad Request: IMAGE_PROCESS_FAILED'] },

  // ---- Telegram itself: try again next slot --------------------------------------------------
  { pattern: /Bad Gateway|Gateway Timeout/i, verdict: { kind: 'retry' }, example: [502, 'Bad Gateway'] },
  { pattern: /.*/, codes: [500, 502, 503, 504], verdict: { kind: 'retry' }, example: [500, 'Internal Server Error: restart'] },
];

/**
 * The verdict for what a send threw. A 403 nothing above names is still about the chat (Telegram's
 * 403s all say the bot may not reach it); any other unnamed 4xx is retried, marked `unknown` so
 * the caller can give up on a chat that keeps failing the same way.
 */
export function classifyTelegramError(err: unknown): ErrorVerdict {
  if (!(err instanceof TelegramError)) return { kind: 'retry' };
  // Flood waits and migrations are the scheduler's; a 401 is the sender's (see recordFailure).
  if (err.kind === 'rate_limited' || err.kind === 'chat_migrated' || err.kind === 'invalid_token') return { kind: 'retry' };
  const row = TELEGRAM_ERROR_ROWS.find((r) => (!r.codes || (err.errorCode !== undefined && r.codes.includes(err.errorCode))) && r.pattern.test(err.message));
  if (row) return row.verdict;
  // No answer at all (network, timeout), or a 404 from a proxy: Telegram was not reached.
  if (err.kind === 'unavailable') return { kind: 'retry' };
  if (err.kind === 'forbidden') return chat('no_access', 'refused');
  return { kind: 'retry', unknown: true };
}
