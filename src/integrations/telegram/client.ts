// The Bot API client (grammY's `Api`) pointed at TELEGRAM_API_ROOT, with every failure
// turned into a typed TelegramError. Every Telegram call in the app goes through here.
import { Api } from 'grammy';
import { toTelegramError } from './errors.js';

export type TelegramClientOptions = {
  apiRoot: string;
  token: string;
  /** Per call; grammY's own default (500 s) is far too long for a request handler. */
  timeoutSeconds?: number;
};

export function createTelegramApi({ apiRoot, token, timeoutSeconds = 20 }: TelegramClientOptions): Api {
  return new Api(token, { apiRoot: apiRoot.replace(/\/$/, ''), timeoutSeconds });
}

/** Runs a Bot API call and rethrows its failure as a typed TelegramError. */
export async function callTelegram<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toTelegramError(err);
  }
}

/** grammY types its signal with the abort-controller polyfill; at run time it is the platform's. */
type GrammySignal = Parameters<Api['getUpdates']>[1];

export type GetUpdatesOptions = {
  apiRoot: string;
  token: string;
  /** The first update_id wanted: every earlier update is confirmed and dropped by Telegram. */
  offset?: number;
  /** Long poll: Telegram holds the request up to this long while nothing happens. */
  longPollSeconds: number;
  limit?: number;
  allowedUpdates?: string[];
  /** Shutdown, or the sender's lease moved: the poll in flight ends at once. */
  signal?: AbortSignal;
};

/** Margin over the long poll: the HTTP request must outlive Telegram's own wait. */
const LONG_POLL_MARGIN_SECONDS = 10;

/** One `getUpdates` long poll; the updates come back as Telegram sent them, unvalidated. */
export async function getUpdates({ apiRoot, token, offset, longPollSeconds, limit = 100, allowedUpdates, signal }: GetUpdatesOptions): Promise<unknown[]> {
  const api = createTelegramApi({ apiRoot, token, timeoutSeconds: longPollSeconds + LONG_POLL_MARGIN_SECONDS });
  const other = {
    timeout: longPollSeconds,
    limit,
    ...(offset !== undefined ? { offset } : {}),
    // grammY types the list as its union of update names; ours are checked by the caller.
    ...(allowedUpdates ? { allowed_updates: allowedUpdates as never } : {}),
  };
  return callTelegram(() => api.getUpdates(other, signal as unknown as GrammySignal));
}

export type SetWebhookOptions = {
  apiRoot: string;
  token: string;
  url: string;
  /** Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token: 1-256 of A-Z a-z 0-9 _ -. */
  secretToken: string;
  allowedUpdates: string[];
  timeoutSeconds?: number;
};

/** Telegram pushes the bot's updates to `url` from now on (and getUpdates answers 409). */
export async function setWebhook({ apiRoot, token, url, secretToken, allowedUpdates, timeoutSeconds = 10 }: SetWebhookOptions): Promise<void> {
  const api = createTelegramApi({ apiRoot, token, timeoutSeconds });
  await callTelegram(() => api.setWebhook(url, { secret_token: secretToken, allowed_updates: allowedUpdates as never }));
}

export type DeleteWebhookOptions = { apiRoot: string; token: string; timeoutSeconds?: number };

/** Back to getUpdates; pending updates are kept. */
export async function deleteWebhook({ apiRoot, token, timeoutSeconds = 10 }: DeleteWebhookOptions): Promise<void> {
  const api = createTelegramApi({ apiRoot, token, timeoutSeconds });
  await callTelegram(() => api.deleteWebhook({ drop_pending_updates: false }));
}
