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
