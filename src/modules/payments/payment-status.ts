// Payment statuses in one place: what a provider may report, which moves are forward,
// and what the buyer's checkout page is shown.
import { payments } from '../../db/schema.js';

/** Our stored status (the schema's list): a provider status, or `creating` while the invoice is being requested. */
export type PaymentStatus = (typeof payments.status.enumValues)[number];
export type ProviderStatus = Exclude<PaymentStatus, 'creating'>;

export const paymentStatuses = payments.status.enumValues;

export const providerStatuses: readonly ProviderStatus[] = payments.status.enumValues.filter((s): s is ProviderStatus => s !== 'creating');

export type PublicPaymentStatus = 'waiting' | 'confirming' | 'paid' | 'partially_paid' | 'expired' | 'failed' | 'refunded';

/** Provider wording → our enum; anything unknown (NOWPayments may add statuses) is null and ignored. */
export function mapProviderStatus(raw: unknown): ProviderStatus | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim().toLowerCase();
  return (providerStatuses as readonly string[]).includes(s) ? (s as ProviderStatus) : null;
}

const allForward: ProviderStatus[] = [...providerStatuses];

/**
 * The one-way machine. `partially_paid` may still complete when the buyer sends the rest;
 * a late `finished` after `expired` is honoured because the money did arrive.
 */
const forward: Record<PaymentStatus, readonly ProviderStatus[]> = {
  creating: allForward,
  waiting: ['confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'expired', 'refunded'],
  confirming: ['confirmed', 'sending', 'partially_paid', 'finished', 'failed', 'expired', 'refunded'],
  partially_paid: ['confirming', 'confirmed', 'sending', 'finished', 'failed', 'expired', 'refunded'],
  confirmed: ['sending', 'finished', 'failed', 'refunded'],
  sending: ['finished', 'failed', 'refunded'],
  finished: ['refunded'],
  // Money that came in on a closed invoice can still be handed back.
  expired: ['finished', 'refunded'],
  failed: ['refunded'],
  refunded: [],
};

export function canMove(from: PaymentStatus, to: ProviderStatus): boolean {
  return forward[from].includes(to);
}

export const openStatuses = ['waiting', 'confirming', 'confirmed', 'sending', 'partially_paid'] as const;

export function toPublicStatus(s: PaymentStatus): PublicPaymentStatus {
  switch (s) {
    case 'creating':
    case 'waiting':
      return 'waiting';
    case 'confirming':
    case 'confirmed':
    case 'sending':
      return 'confirming';
    case 'finished':
      return 'paid';
    default:
      return s;
  }
}
