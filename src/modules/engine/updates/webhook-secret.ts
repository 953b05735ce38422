// The secret_token each sender's webhook is set with: Telegram sends it back in
// X-Telegram-Bot-Api-Secret-Token, so a POST to /api/telegram/updates/:senderId that lacks it
// did not come from Telegram. Derived (HMAC-SHA256 of the sender id under a key derived from
// JWT_SECRET), so every API process knows it without storing it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../../../platform/app-context.js';

export const WEBHOOK_PATH_PREFIX = '/api/telegram/updates/';

/** 43 characters of base64url: inside Telegram's alphabet (A-Z a-z 0-9 _ -) and length (1-256). */
export function webhookSecretFor(config: Pick<AppContext['config'], 'jwtSecret'>, senderId: string): string {
  const key = createHmac('sha256', config.jwtSecret).update('telegram-webhook-secret').digest();
  return createHmac('sha256', key).update(senderId).digest('base64url');
}

/** Constant-time: both sides are hashed first, so neither the length nor a prefix leaks. */
export function isWebhookSecretValid(config: Pick<AppContext['config'], 'jwtSecret'>, senderId: string, given: unknown): boolean {
  if (typeof given !== 'string' || given === '') return false;
  const digest = (s: string) => createHmac('sha256', 'compare').update(s).digest();
  return timingSafeEqual(digest(webhookSecretFor(config, senderId)), digest(given));
}

export function webhookUrlFor(config: Pick<AppContext['config'], 'publicUrl'>, senderId: string): string {
  return `${config.publicUrl}${WEBHOOK_PATH_PREFIX}${senderId}`;
}
