// Words the admin screens show for codes the API returns. The coin names mirror the
// checkout's (web/features/checkout/lib/coins.ts); features don't import each other.
const coinNames: Record<string, string> = {
  btc: 'BTC',
  eth: 'ETH',
  sol: 'SOL',
  ltc: 'LTC',
  usdttrc20: 'USDT · TRON',
  xrp: 'XRP',
  xlm: 'XLM',
};

/** "USDT · TRON", "BTC"; an unknown code is shown as given. */
export function coinLabel(currency: string): string {
  return coinNames[currency.toLowerCase()] ?? currency.toUpperCase();
}

/** "partially_paid" → "Partially paid", like the dashboard's pills. */
export function statusLabel(value: string): string {
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

type PaymentLike = { status: string | null; actuallyPaid: string | null; payAmount: string | null; payCurrency: string };

const closed = new Set(['expired', 'failed']);

/** Money came in but the invoice closed before it was complete: that money is owed back. */
export function refundDue(p: PaymentLike): string | null {
  if (!p.status || !closed.has(p.status) || !p.actuallyPaid) return null;
  if (!/[1-9]/.test(p.actuallyPaid)) return null;
  return p.actuallyPaid;
}

/** One line for an order's payment: "12.5 of 30 USDT · TRON", or the refund owed. */
export function paymentSummary(p: PaymentLike): string {
  const coin = coinLabel(p.payCurrency);
  const due = refundDue(p);
  if (due) {
    const how = p.status === 'failed' ? 'then failed' : 'then expired';
    return `Underpaid, ${how} — refund due: ${due} ${coin}`;
  }
  return `${p.actuallyPaid ?? '0'} of ${p.payAmount ?? '?'} ${coin}`;
}

/** Whether an invoice can still be paid, so "expires in …" means something. */
export function invoiceOpen(status: string | null): boolean {
  return status === null || status === 'creating' || status === 'waiting' || status === 'confirming' || status === 'partially_paid';
}
