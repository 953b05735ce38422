import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { orderDetailSchema, type ReplayResult, replayResultSchema } from '../../../../src/shared/api/admin';
import { formatUsd, intervalInWords } from '../../../lib/format';
import { usePageTitle } from '../../../lib/use-page-title';
import { adminSend, useAdminMutation, useAdminQuery } from '../api/admin-fetch';
import { coinLabel, invoiceOpen, paymentSummary, plural, refundDue, statusLabel } from '../lib/labels';
import { ConfirmAction, Empty, OutcomePill, Pill, QueryState, Time } from './admin-ui';

/** The server's rule: a full payment, or money received on an invoice that can no longer complete. */
function refundable(orderStatus: string, payment: { actuallyPaid: string | null; expiresAt: string | null }): boolean {
  if (orderStatus === 'paid' || orderStatus === 'fulfilled') return true;
  if (payment.actuallyPaid === null || !/[1-9]/.test(payment.actuallyPaid)) return false;
  if (orderStatus === 'expired' || orderStatus === 'failed') return true;
  return orderStatus === 'partially_paid' && payment.expiresAt !== null && Date.parse(payment.expiresAt) <= Date.now();
}

const verdictText: Record<string, string> = {
  applied: 'Applied — the payment moved forward.',
  duplicate: 'Already applied — nothing changed.',
  ignored: 'Ignored — the payment is already past this status.',
  rejected_mismatch: 'Refused — it does not match the order.',
  unknown_payment: 'Unknown payment.',
};

export function OrderDetailScreen() {
  const { id = '' } = useParams();
  const q = useAdminQuery(['order', id], `/api/admin/orders/${encodeURIComponent(id)}`, orderDetailSchema);
  usePageTitle(q.data ? `Order #${q.data.order.orderNumber} — Admin` : undefined);
  const replay = useAdminMutation(async (eventId: string) => replayResultSchema.parse(await adminSend('POST', `/api/admin/payment-events/${eventId}/replay`)));
  const fulfil = useAdminMutation((orderId: string) => adminSend<{ result: string }>('POST', `/api/admin/orders/${orderId}/fulfil`));
  // The status the admin saw goes along: if the payment moved meanwhile, the server refuses.
  const refund = useAdminMutation((v: { orderId: string; note: string; expectedPaymentStatus: string }) =>
    adminSend<{ orderStatus: string }>('POST', `/api/admin/orders/${v.orderId}/refund`, {
      expectedPaymentStatus: v.expectedPaymentStatus,
      ...(v.note.trim() ? { note: v.note.trim() } : {}),
    }),
  );
  const [refundNote, setRefundNote] = useState('');
  const d = q.data;

  const replayMessage = (r: ReplayResult) =>
    `${verdictText[r.verdict] ?? r.verdict}${r.reason ? ` (${r.reason})` : ''} Order is now ${r.orderStatus ?? 'unchanged'}.`;

  return (
    <section aria-labelledby="order-heading">
      <Link to="/admin/orders" className="back-link">
        ← All orders
      </Link>
      <QueryState query={q} rows={6}>
        {d && (
          <div className="admin-stack" data-testid="order-detail">
            <div className="section-head">
              <h1 id="order-heading">
                Order #{d.order.orderNumber} <Pill value={d.order.status} /> {d.order.attention && <Pill value={d.order.attention} />}
              </h1>
              <div className="row-actions">
                <ConfirmAction
                  label="Re-run fulfilment"
                  title="Re-run fulfilment?"
                  body={
                    <p>Runs the normal fulfilment for this order again. It is safe: an order is never fulfilled twice, and an unpaid order is left alone.</p>
                  }
                  confirmLabel="Re-run"
                  onConfirm={async () => `Result: ${(await fulfil.mutateAsync(d.order.id)).result.replace(/_/g, ' ')}.`}
                />
                {/* Stays mounted (disabled) right after recording, so its result stays readable. */}
                {d.payment && (refundable(d.order.status, d.payment) || refund.isSuccess) && (
                  <ConfirmAction
                    label="Record refund"
                    disabled={!refundable(d.order.status, d.payment)}
                    title="Record a refund?"
                    danger
                    body={
                      <>
                        <p>
                          HQAdz cannot send coins back. Refund{' '}
                          <strong>
                            {d.order.status === 'paid' || d.order.status === 'fulfilled'
                              ? (d.payment.actuallyPaid ?? d.payment.payAmount)
                              : d.payment.actuallyPaid}{' '}
                            {coinLabel(d.payment.payCurrency)}
                          </strong>{' '}
                          to the buyer from your NOWPayments account first, then record it here. The order becomes refunded
                          {d.order.status === 'fulfilled' ? '' : ', any senders held for it go back to stock'} and any reseller commission is reversed.
                        </p>
                        {d.order.status === 'fulfilled' && (
                          <p>The customer's bot keeps running: shorten or suspend it in Customers &amp; bots if the refund ends the service.</p>
                        )}
                        <div className="field">
                          <label htmlFor="refund-note">Note (optional)</label>
                          <input
                            id="refund-note"
                            maxLength={500}
                            placeholder="e.g. the refund transaction id"
                            value={refundNote}
                            onChange={(e) => setRefundNote(e.target.value)}
                          />
                        </div>
                      </>
                    }
                    confirmLabel="Record refund"
                    onConfirm={async () =>
                      `Recorded — the order is now ${statusLabel((await refund.mutateAsync({ orderId: d.order.id, note: refundNote, expectedPaymentStatus: d.payment!.status })).orderStatus).toLowerCase()}.`
                    }
                  />
                )}
              </div>
            </div>
            <div className="admin-two">
              <section className="card">
                <h2>Order</h2>
                <dl className="facts">
                  <dt>Customer</dt>
                  <dd>
                    <Link to={`/admin/customers?q=${encodeURIComponent(d.order.email ?? d.order.userId)}`} className="cell-wrap">
                      {d.order.email ?? d.order.userId}
                    </Link>
                    {d.order.email && (
                      <span className="block small">
                        <Link to={`/admin/orders?email=${encodeURIComponent(d.order.email)}`}>All their orders</Link>
                      </span>
                    )}
                  </dd>
                  {d.order.resellerCode && (
                    <>
                      <dt>Reseller</dt>
                      <dd data-testid="order-reseller">
                        <Link to="/admin/resellers" className="mono">
                          {d.order.resellerCode}
                        </Link>
                      </dd>
                    </>
                  )}
                  <dt>Plan</dt>
                  <dd>
                    {d.order.planName} ({d.order.kind}) · {formatUsd(d.order.priceUsd)}
                  </dd>
                  <dt>Sold as</dt>
                  <dd>
                    {plural(d.order.senders, 'sender')}, posts {intervalInWords(d.order.postingIntervalSeconds)}, {d.order.validityDays} days
                  </dd>
                  <dt>Created</dt>
                  <dd>
                    <Time value={d.order.createdAt} />
                  </dd>
                  <dt>Paid</dt>
                  <dd>
                    <Time value={d.order.paidAt} />
                  </dd>
                  <dt>Fulfilled</dt>
                  <dd>
                    <Time value={d.order.fulfilledAt} />
                  </dd>
                  <dt>License key</dt>
                  <dd className="mono">{d.order.licenseKeyHint ?? '—'}</dd>
                </dl>
              </section>
              <section className="card">
                <h2>Payment</h2>
                {d.payment ? (
                  <dl className="facts">
                    <dt>Status</dt>
                    <dd>
                      <Pill value={d.payment.status} />
                    </dd>
                    <dt>Provider</dt>
                    <dd>
                      {d.payment.provider} <span className="mono small">{d.payment.providerPaymentId}</span>
                    </dd>
                    <dt>Amount</dt>
                    <dd className={refundDue(d.payment) ? 'refund-due' : undefined} data-testid="payment-amount">
                      {paymentSummary(d.payment)}
                    </dd>
                    {d.payment.surplusAmount && (
                      <>
                        <dt>Overpaid</dt>
                        <dd>
                          {d.payment.surplusAmount} {coinLabel(d.payment.payCurrency)}
                        </dd>
                      </>
                    )}
                    <dt>Address</dt>
                    <dd className="mono cell-wrap small">{d.payment.payAddress ?? '—'}</dd>
                    {invoiceOpen(d.payment.status) && (
                      <>
                        <dt>Invoice expires</dt>
                        <dd>
                          <Time value={d.payment.expiresAt} />
                        </dd>
                      </>
                    )}
                    <dt>Last polled</dt>
                    <dd>
                      <Time value={d.payment.lastCheckedAt} />
                    </dd>
                  </dl>
                ) : (
                  <Empty>No payment was created for this order.</Empty>
                )}
              </section>
            </div>
            <section className="card" aria-labelledby="timeline-heading">
              <h2 id="timeline-heading">Payment events (IPN timeline)</h2>
              {d.events.length === 0 ? (
                <Empty>No webhook or poll has reported on this payment yet.</Empty>
              ) : (
                <ol className="timeline" data-testid="ipn-timeline">
                  {d.events.map((e) => (
                    <li key={e.id}>
                      <div className="timeline-main">
                        <strong>{e.status ? statusLabel(e.status) : 'No status'}</strong> <span className="muted small">via {e.source}</span>{' '}
                        <OutcomePill verdict={e.verdict} />
                        {!e.signatureValid && <span className="pill pill-danger">bad signature</span>}
                        {(e.actuallyPaid !== null || e.payAmount !== null) && (
                          <span className="block small" data-testid="event-amount">
                            Paid <span className="mono">{e.actuallyPaid ?? '0'}</span> of <span className="mono">{e.payAmount ?? '?'}</span>{' '}
                            {e.payCurrency ? coinLabel(e.payCurrency) : ''}
                          </span>
                        )}
                        <span className="block muted small">
                          <Time value={e.receivedAt} direction="past" />
                        </span>
                        <details className="event-raw">
                          <summary>raw</summary>
                          <pre className="mono small" data-testid="event-raw">
                            {e.raw}
                          </pre>
                        </details>
                      </div>
                      {e.signatureValid && e.source !== 'admin' && (
                        <ConfirmAction
                          label="Replay event"
                          title="Replay this event?"
                          body={
                            <p>
                              Applies the stored "{e.status}" notification again through the normal payment path. If it was already applied, nothing changes.
                            </p>
                          }
                          confirmLabel="Replay"
                          onConfirm={async () => {
                            const r = await replay.mutateAsync(e.id);
                            return r.verdict === 'applied' || r.verdict === 'changed' ? replayMessage(r) : { neutral: replayMessage(r) };
                          }}
                        />
                      )}
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section className="card">
              <h2>Emails</h2>
              {d.emails.length === 0 ? (
                <Empty>No email for this order yet.</Empty>
              ) : (
                <ul className="plain-list">
                  {d.emails.map((m) => (
                    <li key={m.id}>
                      {m.subject} <span className="muted small">to {m.to}</span> <Pill value={m.status} /> <Time value={m.sentAt ?? m.createdAt} />
                    </li>
                  ))}
                </ul>
              )}
              <Link to="/admin/emails" className="small">
                Open the outbox →
              </Link>
            </section>
          </div>
        )}
      </QueryState>
    </section>
  );
}
