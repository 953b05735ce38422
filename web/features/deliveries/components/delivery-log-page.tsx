import { useMemo, useState } from 'react';
import { Link, Navigate } from 'react-router';
import { Layout } from '../../../components/layout';
import { ApiError } from '../../../lib/api-client';
import { usePageTitle } from '../../../lib/use-page-title';
import { useMe } from '../../auth/api/get-me';
import { useBot } from '../../dashboard/api/get-bot';
import { CustomerNav } from '../../orders/components/customer-nav';
import { type DeliveryFilter, deliveriesCsvUrl, useDeliveries } from '../api/get-deliveries';
import { dayEnd, dayStart } from '../lib/date-range';
import { anyFilter, DeliveryFilters, emptyFilters, type FilterForm } from './delivery-filters';
import { DeliveryTable } from './delivery-table';

const PAGE_SIZE = 50;

function toFilter(f: FilterForm): DeliveryFilter {
  return { chat: f.chat || undefined, result: f.result || undefined, from: dayStart(f.fromDay), to: dayEnd(f.toDay) };
}

export function DeliveryLogPage() {
  usePageTitle('Delivery log');
  const me = useMe();
  const bot = useBot();
  const [form, setForm] = useState<FilterForm>(emptyFilters);
  // The cursors of the pages after the first, as the customer went back in time: Newer pops one.
  const [cursors, setCursors] = useState<string[]>([]);
  const filter = useMemo(() => toFilter(form), [form]);
  const log = useDeliveries(filter, cursors.at(-1), PAGE_SIZE);
  if ((me.isSuccess && me.data === null) || (log.error instanceof ApiError && log.error.code === 'unauthorized')) {
    return <Navigate to="/login" replace />;
  }
  const onFilter = (next: FilterForm) => {
    setForm(next);
    setCursors([]);
  };
  const rows = log.data?.posts ?? [];
  const nextCursor = log.data?.nextCursor ?? null;

  let body: React.ReactNode;
  if (log.isPending) body = <div className="skeleton table-skeleton" role="status" aria-busy="true" aria-label="Loading the delivery log" />;
  else if (log.error)
    body = (
      <div className="notice notice-error" role="alert">
        <p>Couldn't load the delivery log. {log.error.message}</p>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void log.refetch()}>
          Try again
        </button>
      </div>
    );
  else if (rows.length === 0)
    body = (
      <p className="empty" data-testid="delivery-empty">
        {anyFilter(form) ? (
          'No posts match these filters.'
        ) : (
          <>
            No posts yet. Each post your bots make shows up here, with a link to the message. <Link to="/dashboard">Set up and start your bot</Link>
          </>
        )}
      </p>
    );
  else body = <DeliveryTable rows={rows} busy={log.isPlaceholderData} />;

  return (
    <Layout nav={<CustomerNav />}>
      <div className="dashboard">
        <section className="card" aria-labelledby="log-heading">
          <div className="section-head">
            <h2 id="log-heading">Delivery log</h2>
            <a className="btn btn-secondary btn-sm" href={deliveriesCsvUrl(filter)} download data-testid="log-csv">
              Download CSV
            </a>
          </div>
          <p className="muted small">Every post your bots made, newest first. Times are in your time zone; the CSV has them in UTC.</p>
          <DeliveryFilters value={form} chats={bot.data?.chats ?? []} onChange={onFilter} />
          {body}
          {(cursors.length > 0 || nextCursor) && (
            <nav className="pager" aria-label="Delivery log pages">
              <span className="muted small" data-testid="log-page">
                Page {cursors.length + 1}
              </span>
              <button type="button" className="btn btn-secondary btn-sm" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer
              </button>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                disabled={!nextCursor}
                onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
              >
                Older
              </button>
            </nav>
          )}
        </section>
      </div>
    </Layout>
  );
}
