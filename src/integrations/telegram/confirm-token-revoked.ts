import { callTelegram, createTelegramApi } from './client.js';
import { TelegramError } from './errors.js';

export type ConfirmTokenRevokedOptions = { apiRoot: string; token: string; timeoutSeconds?: number };

/**
 * Banning a sender is for good, so a 401 from one call is confirmed with a getMe that
 * answers 401 too: a proxy's or Telegram's passing error must not cost a working bot.
 */
export async function confirmTokenRevoked({ apiRoot, token, timeoutSeconds = 10 }: ConfirmTokenRevokedOptions): Promise<boolean> {
  try {
    await callTelegram(() => createTelegramApi({ apiRoot, token, timeoutSeconds }).getMe());
    return false;
  } catch (err) {
    return err instanceof TelegramError && err.kind === 'invalid_token';
  }
}
