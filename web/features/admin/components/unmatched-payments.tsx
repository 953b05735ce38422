// "Payments we can't match": signed IPNs for a payment no order of ours claims. NOWPayments
// was answered 200 (no retry storm), the admins were alerted once; this is the list a person
// works from to find the buyer or refund them, with what the provider actually said.
import { useState } from 'react';
import { unmatchedPaymentsSchema } from '../../../../src/shared/api/admin';
import { qs, useAdminQuery } from '../api/admin-fetch';
import { coinLabel, plural } from '../lib/labels';
import { Empty, Pager, Pill, QueryState, Time } from './admin-ui';

const PAGE = 10;

export function UnmatchedPayments() {
  const [offset, setOffset] = useState(0);
  const q = useAdminQuery(['unmatched-payments', offset], `/api/admin/unmatched-payments${qs({ limit: PAGE, offset })}`, unmatchedPaymentsSchema, {
    refetchInterval: 60_000,
  });
  return (
    <section className="card" id="unmatched-payments" aria-labelledby="unmatched-heading" data-testid="unmatched-payments">
      <h2 id="unmatched-heading">Payments we can't match</h2>
      <p className="muted small">
        NOWPayments reported these (signed) for no order of ours. The money is in the merchant account: find the buyer from the raw notification, or refund it
        in the NOWPayments dashboard.
      </p>
      <QueryState query={q} rows={2}>
        {q.data && q.data.payments.length === 0 ? (
          <Empty>None — every payment reported so far belongs to an order.</Empty>
        ) : (
          <ul className="mail-list" aria-busy={q.isPlaceholderData}>
            {q.data?.payments.map((p) => (
              <li key={p.providerPaymentId} data-testid="unmatched-payment">
                <details>
                  <summary>
                    <span className="mail-subject">
                      Payment <span className="mono">{p.providerPaymentId}</span>
                    </span>
                    <span className="small" data-testid="unmatched-amount">
                      Received <span className="mono">{p.actuallyPaid ?? '0'}</span>
                      {p.payAmount ? (
                        <>
                          {' '}
                          of <span className="mono">{p.payAmount}</span>
                        </>
                      ) : null}{' '}
                      {p.payCurrency ? coinLabel(p.payCurrency) : ''}
                    </span>
                    <span className="mail-meta">
                      {p.status && <Pill value={p.status} />}{' '}
                      <span className="muted small">
                        first seen <Time value={p.firstSeenAt} direction="past" />, last <Time value={p.lastSeenAt} direction="past" /> ·{' '}
                        {plural(p.deliveries, 'notification')}
                      </span>
                    </span>
                  </summary>
                  {p.claimedOrderId && (
                    <p className="small">
                      It names order id <span className="mono">{p.claimedOrderId}</span>, which is not one of ours.
                    </p>
                  )}
                  <ol className="unmatched-events">
                    {p.events.map((e) => (
                      <li key={e.id}>
                        <span className="small">
                          {e.status ?? 'no status'} via {e.source} · <Time value={e.receivedAt} direction="past" />
                        </span>
                        <pre className="mono small mail-body" data-testid="unmatched-raw">
                          {e.rawBody}
                        </pre>
                      </li>
                    ))}
                  </ol>
                </details>
              </li>
            ))}
          </ul>
        )}
        {q.data && <Pager offset={offset} total={q.data.total} pageSize={PAGE} busy={q.isPlaceholderData} onChange={setOffset} />}
      </QueryState>
    </section>
  );
}
