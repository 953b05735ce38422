// The receipt by email, queued in the transaction that marks the order paid: the proof of
// payment commits with the payment, and exists even if fulfilment later waits for stock.
import type { Tx } from '../../db/client.js';
import type { AppContext } from '../../platform/app-context.js';
import { queueEmail } from '../../platform/notifications/queue-email.js';
import { describeBought } from '../../shared/api/receipts.js';
import { describeInterval, formatUtc } from '../fulfilment/fulfilment-messages.js';
import { loadReceipt, type ReceiptRow, type ReceiptView, receiptOf } from './get-receipt.js';
import { receivedRule } from './list-customer-orders.js';

export type QueueReceiptEmailOptions = {
  ctx: AppContext;
  tx: Tx;
  orderId: string;
  /** false: the caller sends the delivery job (`emailDeliveryJob`) with its own, in one insert. */
  enqueue?: boolean;
};

/** Queues the order's receipt to its customer, once per order however often it is called; returns the email's id or null. */
export async function queueReceiptEmail({ ctx, tx, orderId, enqueue = true }: QueueReceiptEmailOptions): Promise<string | null> {
  const receipt = await loadReceipt(tx, { orderId }, { received: receivedRule(ctx), publicUrl: ctx.config.publicUrl });
  const message = receipt && receiptMessage(ctx, receipt);
  return message ? queueEmail({ ctx, tx, ...message, enqueue }) : null;
}

export type ReceiptMessage = { to: string; subject: string; bodyText: string; dedupeKey: string };

/** The receipt email of an order the caller read itself (its rows as paid): what queueReceiptEmail queues. */
export function receiptMessageFromRows(ctx: AppContext, rows: ReceiptRow[]): ReceiptMessage | null {
  const receipt = receiptOf(rows, { received: receivedRule(ctx), publicUrl: ctx.config.publicUrl });
  return receipt && receiptMessage(ctx, receipt);
}

function receiptMessage(ctx: AppContext, receipt: ReceiptView): ReceiptMessage | null {
  if (!receipt.customerEmail) return null;
  const { subject, bodyText } = receiptEmail(receipt, `${ctx.config.publicUrl}/dashboard/orders/${receipt.orderNumber}`);
  return { to: receipt.customerEmail, subject, bodyText, dedupeKey: `order:${receipt.orderId}:receipt` };
}

const usd = (amount: number) => `$${amount.toFixed(2)} USD`;

/** Plain text: every mail client shows it, and the admin's email list shows it as sent. */
export function receiptEmail(r: ReceiptView, receiptUrl: string): { subject: string; bodyText: string } {
  const coin = r.amounts.payCurrency.toUpperCase();
  const plan = `${r.plan.name} — ${r.plan.senders} sender${r.plan.senders === 1 ? '' : 's'}, posts ${describeInterval(r.plan.postingIntervalSeconds)}`;
  const lines = [
    `Receipt for order #${r.orderNumber}`,
    '',
    `Seller: ${r.seller.name} (${r.seller.website})`,
    `Customer: ${r.customerEmail ?? '—'}`,
    `Order: #${r.orderNumber}, placed ${formatUtc(r.createdAt)}`,
    `Paid: ${r.paidAt ? formatUtc(r.paidAt) : '—'}`,
    `Plan: ${plan}`,
    `Bought: ${describeBought(r.bought, r.plan.name)}`,
    `Price: ${usd(r.priceUsd)}`,
    `Received: ${r.amounts.received} ${coin}${r.amounts.due ? ` (invoice: ${r.amounts.due} ${coin})` : ''}`,
  ];
  if (r.amounts.surplus) lines.push(`Paid above the invoice: ${r.amounts.surplus} ${coin}`);
  for (const p of r.payments) {
    lines.push(
      `Payment ${p.providerPaymentId}: ${p.received ?? '0'} ${p.payCurrency.toUpperCase()}${p.role === 'top_up' ? ' (top-up to the same address)' : ''}`,
    );
  }
  lines.push('', `This receipt, printable, and all your orders: ${receiptUrl}`);
  return { subject: `HQAdz receipt — order #${r.orderNumber}`, bodyText: lines.join('\n') };
}
