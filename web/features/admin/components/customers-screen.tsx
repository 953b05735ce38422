import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type Customer, customersSchema } from '../../../../src/shared/api/admin';
import { CopyButton } from '../../../components/copy-button';
import { exactTime, formatUsd, intervalInWords } from '../../../lib/format';
import { adminSend, qs, useAdminMutation, useAdminQuery } from '../api/admin-fetch';
import { plural } from '../lib/labels';
import { ConfirmAction, Empty, PAGE_SIZE, Pager, Pill, QueryState, Time, useDebounced } from './admin-ui';
import { CustomerAdbotDetail } from './customer-adbot-detail';

const DAY_MS = 86_400_000;
const MAX_EXTEND_DAYS = 3650;
/** The server's sort keys (`-` = descending), with what an operator would call them. */
const customerSorts: [string, string][] = [
  ['', 'Newest first'],
  ['joined', 'Oldest first'],
  ['-spent', 'Most spent'],
  ['-orders', 'Most orders'],
  ['expires', 'Expiring soonest'],
  ['email', 'Email A–Z'],
];

export function CustomersScreen() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState('');
  const search = useDebounced(text.trim());
  const q = useAdminQuery(['customers', search, sort, offset], `/api/admin/customers${qs({ q: search, sort, limit: PAGE_SIZE, offset })}`, customersSchema);

  return (
    <section aria-labelledby="customers-heading">
      <h1 id="customers-heading">Customers &amp; bots</h1>
      <div className="filters">
        <div className="field grow">
          <label htmlFor="customer-search">Search</label>
          <input
            id="customer-search"
            type="search"
            placeholder="Email or customer id"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setOffset(0);
              setParams(e.target.value ? { q: e.target.value } : {}, { replace: true });
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="customer-sort">Sort by</label>
          <select
            id="customer-sort"
            value={sort}
            onChange={(e) => {
              setSort(e.target.value);
              setOffset(0);
            }}
          >
            {customerSorts.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState query={q}>
        {q.data && q.data.customers.length === 0 ? (
          <div className="card">
            <Empty>{search ? 'No customer matches this search.' : 'No customers yet.'}</Empty>
          </div>
        ) : (
          <ul className="admin-cards" data-testid="customers" aria-busy={q.isPlaceholderData}>
            {q.data?.customers.map((c) => (
              <CustomerCard key={c.id} customer={c} />
            ))}
          </ul>
        )}
        {q.data && <Pager offset={offset} total={q.data.total} busy={q.isPlaceholderData} onChange={setOffset} />}
      </QueryState>
    </section>
  );
}

function CustomerCard({ customer: c }: { customer: Customer }) {
  const [days, setDays] = useState('30');
  const [expiry, setExpiry] = useState('');
  const [newCode, setNewCode] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const patchBot = useAdminMutation((body: { expiresAt?: string; status?: string }) => adminSend('PATCH', `/api/admin/adbots/${c.adbot!.id}`, body));
  const rotate = useAdminMutation(() => adminSend<{ accessCode: string }>('POST', `/api/admin/customers/${c.id}/rotate-code`));
  const ban = useAdminMutation((action: 'ban' | 'unban') => adminSend('POST', `/api/admin/customers/${c.id}/${action}`));
  const b = c.adbot;
  const n = Number(days);
  const daysValid = Number.isInteger(n) && n >= 1 && n <= MAX_EXTEND_DAYS;
  const daysProblem = daysValid ? null : n > MAX_EXTEND_DAYS ? `Max ${MAX_EXTEND_DAYS} days` : 'Whole days, at least 1';
  const extendedTo = b ? new Date(Math.max(Date.now(), new Date(b.expiresAt).getTime()) + (daysValid ? n : 0) * DAY_MS) : null;
  const expiryDate = expiry ? new Date(`${expiry}T23:59:59Z`) : null;
  const who = c.email ?? c.id;

  return (
    <li className="card customer-card">
      <div className="section-head">
        <div>
          <h2 className="customer-email">{who}</h2>
          <p className="muted small">
            Customer since <Time value={c.createdAt} /> ·{' '}
            {c.email && c.orders > 0 ? (
              <Link to={`/admin/orders?email=${encodeURIComponent(c.email)}`}>{plural(c.orders, 'order')}</Link>
            ) : (
              plural(c.orders, 'order')
            )}{' '}
            · spent {formatUsd(c.spentUsd)}
          </p>
        </div>
        <div className="row-actions">{c.banned && <Pill value="banned" />}</div>
      </div>
      {b ? (
        <div className="bot-summary">
          <p>
            <strong>{b.plan}</strong> bot <Pill value={b.status} /> · {plural(b.senders, 'sender')}, posts {intervalInWords(b.postingIntervalSeconds)} · expires{' '}
            <Time value={b.expiresAt} /> <span className="muted small">({exactTime(b.expiresAt)})</span>
            {b.sendersReleased && <span className="muted small"> · senders returned to stock</span>}
          </p>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            aria-expanded={open}
            aria-controls={`adbot-${c.id}`}
            aria-label={`${open ? 'Hide' : 'Show'} ad, chats and posts of ${who}`}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide ad, chats and posts' : 'Show ad, chats and posts'}
          </button>
          {open && (
            <div id={`adbot-${c.id}`}>
              <CustomerAdbotDetail customerId={c.id} who={who} />
            </div>
          )}
          <div className="bot-actions">
            <div className="inline-form">
              <label htmlFor={`days-${c.id}`}>Extend by</label>
              <input
                id={`days-${c.id}`}
                type="number"
                min={1}
                max={MAX_EXTEND_DAYS}
                value={days}
                onChange={(e) => setDays(e.target.value)}
                aria-invalid={!daysValid || undefined}
                aria-describedby={daysProblem ? `days-err-${c.id}` : undefined}
              />
              <span>days</span>
              {daysProblem && (
                <span className="field-error small" id={`days-err-${c.id}`} role="alert">
                  {daysProblem}
                </span>
              )}
              <ConfirmAction
                label="Extend"
                ariaLabel={`Extend ${who}`}
                disabled={!daysValid}
                title="Extend this bot?"
                body={
                  <p>
                    Extend {who}'s bot by {n} days, to {extendedTo ? exactTime(extendedTo) : '—'}?
                  </p>
                }
                confirmLabel={`Extend by ${n} days`}
                onConfirm={async () => {
                  await patchBot.mutateAsync({ expiresAt: extendedTo!.toISOString() });
                  return `Extended to ${exactTime(extendedTo!)}.`;
                }}
              />
            </div>
            <div className="inline-form">
              <label htmlFor={`expiry-${c.id}`}>Set expiry</label>
              <input id={`expiry-${c.id}`} type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
              <ConfirmAction
                label="Set"
                disabled={!expiryDate}
                title="Set the expiry date?"
                body={
                  <p>
                    Set {who}'s bot to expire at {expiryDate ? exactTime(expiryDate) : '—'}? A date in the past stops the bot.
                  </p>
                }
                confirmLabel="Set expiry"
                onConfirm={async () => {
                  await patchBot.mutateAsync({ expiresAt: expiryDate!.toISOString() });
                  return `Expiry set to ${exactTime(expiryDate!)}.`;
                }}
              />
            </div>
            {b.status === 'suspended' ? (
              <ConfirmAction
                label="Resume"
                ariaLabel={`Resume ${who}`}
                title="Resume this bot?"
                body={<p>The bot goes back to stopped; the customer can start posting again.</p>}
                confirmLabel="Resume"
                onConfirm={async () => {
                  await patchBot.mutateAsync({ status: 'stopped' });
                  return 'Resumed (stopped until the customer starts it).';
                }}
              />
            ) : (
              <ConfirmAction
                label="Suspend"
                ariaLabel={`Suspend ${who}`}
                danger
                title="Suspend this bot?"
                body={<p>Posting stops at once and the customer cannot start it until you resume it.</p>}
                confirmLabel="Suspend"
                onConfirm={async () => {
                  await patchBot.mutateAsync({ status: 'suspended' });
                  return 'Suspended.';
                }}
              />
            )}
          </div>
        </div>
      ) : (
        <p className="muted small">No bot yet.</p>
      )}
      <div className="row-actions customer-actions">
        <ConfirmAction
          label="Rotate access code"
          ariaLabel={`Rotate access code ${who}`}
          title="Rotate the access code?"
          body={<p>{who} gets a new access code, shown to you once. The old code stops working immediately.</p>}
          confirmLabel="Rotate"
          onConfirm={async () => {
            setNewCode((await rotate.mutateAsync()).accessCode);
            return 'New code issued.';
          }}
        />
        {c.banned ? (
          <ConfirmAction
            label="Unban"
            ariaLabel={`Unban ${who}`}
            title="Unban this customer?"
            body={<p>{who} can log in again. Their bot stays stopped until they start it.</p>}
            confirmLabel="Unban"
            onConfirm={async () => {
              await ban.mutateAsync('unban');
              return 'Unbanned.';
            }}
          />
        ) : (
          <ConfirmAction
            label="Ban"
            ariaLabel={`Ban ${who}`}
            danger
            title="Ban this customer?"
            body={<p>{who} can no longer log in and their bot stops posting.</p>}
            confirmLabel="Ban"
            onConfirm={async () => {
              await ban.mutateAsync('ban');
              return 'Banned.';
            }}
          />
        )}
      </div>
      {newCode && (
        <div className="notice notice-info" role="status" data-testid="new-access-code">
          <p>New access code for {who} — copy it now, it is not shown again:</p>
          <p className="access-code-row">
            <span className="access-code mono">{newCode}</span> <CopyButton value={newCode} label="access code" />
          </p>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setNewCode(null)}>
            Done
          </button>
        </div>
      )}
    </li>
  );
}
