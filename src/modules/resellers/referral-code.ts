import { randomBytes } from 'node:crypto';
import { z } from 'zod';

export const REFERRAL_CODE_PATTERN = /^[A-Za-z0-9_-]{3,32}$/;

export const referralCodeSchema = z.string().trim().regex(REFERRAL_CODE_PATTERN, 'must be 3–32 characters: letters, digits, "_" or "-"');

// No 0/o, 1/l/i: codes get read aloud and copied off screenshots.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A short code for links: 8 characters of a 31-letter alphabet (~40 bits), enough to avoid guessable neighbours. */
export function generateReferralCode(length = 8): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}
