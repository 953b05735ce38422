// Payment statuses in one place: what a provider may report, which moves are forward,
// and what the buyer's checkout page is shown.
import { payments } from '../../db/schema.js';
import { type ProviderStatus, providerStatuses } from '../../integrations/payment-provider.js';

export type { ProviderStatus };

/** Our stored status (the schema's list): a provider status, or `creating` while the invoice is being requested. */
export type PaymentStatus = (typeof payments.status.enumValues)[number];

// The port's list and the schema's must stay the same set: this fails to compile when they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const providerStatusesMatchSchema: Same<ProviderStatus, Exclude<PaymentStatus, 'creating'>> = true;
void providerStatusesMatchSchema;

export const paymentStatuses = payments.status.enumValues;

export type PublicPaymentStatus = 'waiting' | 'confirming' | 'paid' | 'partially_paid' | 'expired' | 'failed' | 'refunded';

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
