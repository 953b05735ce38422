import type { ReactNode } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { describeBought } from '../../../../src/shared/api/receipts';
import { Layout } from '../../../components/layout';
import { ApiError } from '../../../lib/api-client';
import { exactTime, formatCoinAmount, formatUsd, intervalInWords } from '../../../lib/format';
import { SUPPORT_EMAIL } from '../../../lib/support';
import { usePageTitle } from '../../../lib/use-page-title';
import { useMe } from '../../auth/api/get-me';
import { type Receipt, useReceipt } from '../api/get-receipt';
import { orderStatus } from '../lib/order-status';
import { CustomerNav } from './customer-nav';
import './receipt.css';

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="receipt-row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function ReceiptBody({ r }: { r: Receipt }) {
  const coin = r.amounts.payCurrency.toUpperCase();
  const amount = (v: string) => `${formatCoinAmount(v, r.amounts.payCurrency)} ${coin}`;
  const s = orderStatus(r.status);
  return (
    <article className="card receipt" data-testid="receipt" aria-labelledby="receipt-heading">
      <header className="receipt-head">
        <div>
          <h1 id="receipt-heading">Receipt</h1>
          <p className="muted">
            Order <span className="mono">#{r.orderNumber}</span>
          </p>
        </div>
        <div className="receipt-seller">
          <strong>{r.seller.name}</strong>
          <span className="muted small block">{r.seller.website}</span>
          <span className="muted small block">{SUPPORT_EMAIL}</span>
        </div>
      </header>
      <dl className="receipt-list">
        <Row label="Status">
          <span className={`pill ${s.cls}`}>{s.label}</span>
        </Row>
        <Row label="Billed to">{r.customerEmail ?? '—'}</Row>
        <Row label="Date paid" testId="receipt-paid-at">
          {r.paidAt ? exactTime(r.paidAt) : '—'}
        </Row>
        <Row label="Ordered">{exactTime(r.createdAt)}</Row>
        <Row label="Plan" testId="receipt-plan">
          {`${r.plan.name} — ${r.plan.senders} sender${r.plan.senders === 1 ? '' : 's'}, posts ${intervalInWords(r.plan.postingIntervalSeconds)}`}
        </Row>
        <Row label="Bought" testId="receipt-bought">
          {describeBought(r.bought, r.plan.name)}
        </Row>
        <Row label="Price" testId="receipt-price">
          {formatUsd(r.priceUsd)}
        </Row>
        <Row label="Received" testId="receipt-received">
          {amount(r.amounts.received)}
          {r.amounts.due && <span className="muted small block">{`Invoice: ${amount(r.amounts.due)}`}</span>}
          {r.amounts.surplus && <span className="muted small block">{`Above the invoice: ${amount(r.amounts.surplus)}`}</span>}
        </Row>
        <Row label={r.payments.length === 1 ? 'Payment' : 'Payments'} testId="receipt-payments">
          {r.payments.map((p) => (
            <span key={p.providerPaymentId} className="block">
              <span className="mono">{p.providerPaymentId}</span>
              {` · ${p.received ? formatCoinAmount(p.received, p.payCurrency) : '0'} ${p.payCurrency.toUpperCase()}`}
              {p.network && ` · ${p.network.toUpperCase()} network`}
              {p.role === 'top_up' && ' · top-up'}
            </span>
          ))}
        </Row>
      </dl>
      {r.status === 'refunded' && <p className="notice notice-warning">This order was refunded by the payment provider.</p>}
      <div className="receipt-actions">
        <button type="button" className="btn btn-primary" onClick={() => window.print()}>
          Print or save as PDF
        </button>
        <Link to="/dashboard/orders" className="btn btn-secondary">
          All orders
        </Link>
      </div>
    </article>
  );
}

function ReceiptProblem({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const code = error instanceof ApiError ? error.code : null;
  const [title, text] =
    code === 'not_found' || code === 'validation_error'
      ? ['No such order', 'This order is not one of yours, or its number is mistyped.']
      : code === 'conflict'
        ? ['Not paid yet', 'The receipt appears here once the payment for this order arrives.']
        : ["The receipt didn't load", error.message];
  const retryable = code !== 'not_found' && code !== 'validation_error' && code !== 'conflict';
  return (
    <section className="card status-card" role="alert" data-testid="receipt-problem">
      <h1>{title}</h1>
      <p className="muted">{text}</p>
      {retryable ? (
        <button type="button" className="btn btn-primary" onClick={onRetry}>
          Try again
        </button>
      ) : (
        <Link to="/dashboard/orders" className="btn btn-secondary">
          All orders
        </Link>
      )}
    </section>
  );
}

export function ReceiptPage() {
  const { orderNumber = '' } = useParams();
  usePageTitle(`Receipt #${orderNumber}`);
  const me = useMe();
  const receipt = useReceipt(orderNumber);
  if ((me.isSuccess && me.data === null) || (receipt.error instanceof ApiError && receipt.error.code === 'unauthorized')) {
    return <Navigate to="/login" replace />;
  }
  let content: ReactNode;
  if (receipt.error) content = <ReceiptProblem error={receipt.error} onRetry={() => void receipt.refetch()} />;
  else if (!receipt.data) content = <section className="card skeleton receipt-skeleton" role="status" aria-busy="true" aria-label="Loading the receipt" />;
  else content = <ReceiptBody r={receipt.data} />;
  return (
    <Layout nav={<CustomerNav />}>
      <div className="dashboard receipt-page">{content}</div>
    </Layout>
  );
}
