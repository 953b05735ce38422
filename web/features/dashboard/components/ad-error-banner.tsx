import { adPausedMessage } from '../../../../src/shared/ad-paused-message';
import type { Bot } from '../api/get-bot';

/**
 * Telegram refused the ad itself (a dead image link, a deleted source post, broken formatting),
 * so the engine paused the bot in every chat. Saving the ad or pressing Start clears it; the
 * message says which, so the customer is not left guessing why nothing posts.
 */
export function AdErrorBanner({ bot }: { bot: Bot }) {
  if (!bot.adError) return null;
  return (
    <p className="notice notice-error" role="alert" data-testid="ad-error">
      {adPausedMessage(bot.adError)}
    </p>
  );
}
