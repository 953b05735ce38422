import type { DeliveryResult } from '../api/get-deliveries';

/** How each result reads in the log, and its pill colour. */
export const resultLabel: Record<DeliveryResult, { label: string; cls: string; hint?: string }> = {
  sent: { label: 'Sent', cls: 'pill-success' },
  failed: { label: 'Failed', cls: 'pill-danger' },
  unconfirmed: {
    label: 'Sent, not confirmed',
    cls: 'pill-warning',
    hint: 'Telegram very likely got it, but the worker stopped before the answer came back: no link to show',
  },
  sending: { label: 'Sending', cls: 'pill-neutral' },
};
