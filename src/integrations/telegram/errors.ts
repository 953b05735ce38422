// Telegram failures as typed classes, decided in one place: the stock module, the chat
// checks and the posting engine each react to a kind of failure, never to raw error codes.
import { GrammyError, HttpError } from 'grammy';

export type TelegramErrorKind = 'invalid_token' | 'forbidden' | 'rate_limited' | 'chat_migrated' | 'bad_request' | 'unavailable';

export abstract class TelegramError extends Error {
  abstract readonly kind: TelegramErrorKind;
  constructor(
    message: string,
    /** Telegram's `error_code`, or undefined when no answer came back. */
    readonly errorCode?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 401: the token was revoked or never existed. The sender is dead (state `banned`). */
export class TelegramInvalidTokenError extends TelegramError {
  readonly kind = 'invalid_token';
}

/** 403: kicked, not a member, or no right to post. The chat needs a re-check, not a retry. */
export class TelegramForbiddenError extends TelegramError {
  readonly kind = 'forbidden';
}

/** 429: flood control. Wait `retryAfterSeconds` before this bot calls again. */
export class TelegramRateLimitError extends TelegramError {
  readonly kind = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, 429);
  }
}

/** 400 with `migrate_to_chat_id`: a group became a supergroup with a new id. */
export class TelegramChatMigratedError extends TelegramError {
  readonly kind = 'chat_migrated';
  constructor(
    message: string,
    readonly migrateToChatId: bigint,
  ) {
    super(message, 400);
  }
}

/** Any other 4xx: the request itself is wrong (chat not found, bad markup, ...). */
export class TelegramBadRequestError extends TelegramError {
  readonly kind = 'bad_request';
}

/** Network failure, timeout or a 5xx: Telegram could not answer; safe to retry later. */
export class TelegramUnavailableError extends TelegramError {
  readonly kind = 'unavailable';
}

/** Turns whatever a Bot API call threw into one of the classes above. */
export function toTelegramError(err: unknown): TelegramError {
  if (err instanceof TelegramError) return err;
  if (err instanceof GrammyError) {
    const code = err.error_code;
    const description = err.description || `Telegram error ${code}`;
    const params = err.parameters ?? {};
    // Only 401 means the token is dead. A 404 is what a wrong TELEGRAM_API_ROOT or a proxy
    // answers too, and banning on it would drain the whole stock; our tokens are well-formed
    // (checked when added), so a 404 is treated as Telegram being unreachable.
    if (code === 401) return new TelegramInvalidTokenError(description, code);
    if (code === 404) return new TelegramUnavailableError(description, code);
    if (code === 403) return new TelegramForbiddenError(description, code);
    if (code === 429) return new TelegramRateLimitError(description, Math.max(1, params.retry_after ?? 1));
    if (params.migrate_to_chat_id !== undefined) {
      return new TelegramChatMigratedError(description, BigInt(params.migrate_to_chat_id));
    }
    if (code >= 500) return new TelegramUnavailableError(description, code);
    return new TelegramBadRequestError(description, code);
  }
  if (err instanceof HttpError) {
    return new TelegramUnavailableError(`Telegram could not be reached: ${describeCause(err.error)}`);
  }
  return new TelegramUnavailableError(`Telegram call failed: ${describeCause(err)}`);
}

/** The cause without the request URL: fetch errors quote it, and it holds the bot token. */
function describeCause(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  const redacted = message.replace(/\/bot[^/\s]*/g, '/bot<token>');
  return typeof code === 'string' ? `${code} (${redacted})` : redacted;
}
