import { formatUsd } from '../../../lib/format';
import type { Reseller } from '../api/get-reseller';

export function BalanceStats({ reseller }: { reseller: Reseller }) {
  const items = [
    { label: 'Earned', value: formatUsd(reseller.earnedUsd), testId: 'earned', hint: `from ${reseller.orders} paid order${reseller.orders === 1 ? '' : 's'}` },
    { label: 'Paid out', value: formatUsd(reseller.paidUsd), testId: 'paid', hint: 'recorded by HQAdz' },
    reseller.dueUsd < 0
      ? {
          label: 'Owed back',
          value: `−${formatUsd(-reseller.dueUsd)}`,
          testId: 'due',
          hint: 'refunded commission already paid out; new earnings cover it first',
        }
      : { label: 'Due to you', value: formatUsd(reseller.dueUsd), testId: 'due', hint: 'earned minus paid out' },
    { label: 'Customers', value: String(reseller.customers), testId: 'customers', hint: 'came through your link' },
  ];
  return (
    <section className="card" aria-labelledby="balance-heading">
      <h2 id="balance-heading" className="sr-only">
        Balance
      </h2>
      <dl className="stat-grid reseller-stats">
        {items.map((i) => (
          <div key={i.label}>
            <dt>{i.label}</dt>
            <dd data-testid={i.testId}>{i.value}</dd>
            <span className="small muted">{i.hint}</span>
          </div>
        ))}
      </dl>
    </section>
  );
}
