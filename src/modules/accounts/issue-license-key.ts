import type { DbOrTx } from '../../db/client.js';
import { licenseKeys } from '../../db/schema.js';
import { normaliseCode, randomCode, sha256 } from '../../lib/crypto.js';

export type IssueLicenseKeyOptions = { tx: DbOrTx; userId: string; orderId: string };

/**
 * The order's license key in plain text, or null when the order already has one: keys are
 * stored only as a hash, so a retried fulfilment cannot recover (or duplicate) the first.
 */
export async function issueLicenseKey({ tx, userId, orderId }: IssueLicenseKeyOptions): Promise<string | null> {
  const key = randomCode('LK');
  const inserted = await tx
    .insert(licenseKeys)
    .values({ orderId, userId, keyHash: sha256(normaliseCode(key)), keyHint: key.slice(-4) })
    .onConflictDoNothing({ target: licenseKeys.orderId })
    .returning({ id: licenseKeys.id });
  return inserted.length > 0 ? key : null;
}
