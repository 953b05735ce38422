import type { AppContext } from '../../platform/app-context.js';
import { parseBotToken, sandboxBotId } from './bot-token.js';
import { callTelegram, createTelegramApi } from './client.js';
import { TelegramInvalidTokenError } from './errors.js';

export type BotInfo = { id: bigint; username: string; firstName: string; isSandbox: boolean };

export type GetBotInfoOptions = { ctx: Pick<AppContext, 'config'>; token: string };

/**
 * Who a token belongs to (`getMe`). Sandbox tokens answer locally. Throws a TelegramError:
 * TelegramInvalidTokenError for a malformed or revoked token, TelegramUnavailableError
 * when Telegram cannot be reached.
 */
export async function getBotInfo({ ctx, token }: GetBotInfoOptions): Promise<BotInfo> {
  const parsed = parseBotToken(token);
  if (!parsed) throw new TelegramInvalidTokenError('Not a bot token (expected 123456:ABC… or sandbox:<name>)');
  if (parsed.kind === 'sandbox') {
    return { id: sandboxBotId(parsed.name), username: `${parsed.name}_bot`, firstName: parsed.name, isSandbox: true };
  }
  const api = createTelegramApi({ apiRoot: ctx.config.telegramApiRoot, token: parsed.token });
  const me = await callTelegram(() => api.getMe());
  return { id: BigInt(me.id), username: me.username, firstName: me.first_name, isSandbox: false };
}
