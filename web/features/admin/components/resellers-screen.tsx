import { type FormEvent, useState } from 'react';
import { type Reseller, resellersSchema } from '../../../../src/shared/api/resellers';
import { CopyButton } from '../../../components/copy-button';
import { ApiError } from '../../../lib/api-client';
import { formatUsd } from '../../../lib/format';
import { adminSend, qs, useAdminMutation, useAdminQuery } from '../api/admin-fetch';
import { ConfirmAction, Empty, PAGE_SIZE, Pager, Pill, QueryState, Time } from './admin-ui';

// The server's rule: more than 0 and at most 90 %, with at most 2 decimals.
const MAX_PERCENT = 90;
const PERCENT_HINT = `More than 0 and at most ${MAX_PERCENT}, up to 2 decimals.`;
function percentOk(text: string): boolean {
  const n = Number(text);
  return /^\d+(\.\d{1,2})?$/.test(text.trim()) && n > 0 && n <= MAX_PERCENT;
}

export function ResellersScreen() {
  const [offset, setOffset] = useState(0);
  const q = useAdminQuery(['resellers', offset], `/api/admin/resellers${qs({ limit: PAGE_SIZE, offset })}`, resellersSchema);
  const [created, setCreated] = useState<{ email: string; accessCode: string; referralCode: string | null } | null>(null);
  const notBuilt = q.error instanceof ApiError && q.error.status === 404;

  return (
    <section aria-labelledby="resellers-heading" className="admin-stack">
      <h1 id="resellers-heading">Resellers</h1>
      <NewResellerForm onCreated={setCreated} />
      {created && (
        <div className="notice notice-info" role="status" data-testid="reseller-code">
          <p>Access code for {created.email} — copy it now, it is not shown again:</p>
          <p className="access-code-row">
            <span className="access-code mono">{created.accessCode}</span> <CopyButton value={created.accessCode} label="access code" />
          </p>
          {created.referralCode && (
            <>
              <p>Their referral link:</p>
              <p className="access-code-row">
                <span className="mono cell-wrap" data-testid="referral-link">
                  {referralLink(created.referralCode)}
                </span>{' '}
                <CopyButton value={referralLink(created.referralCode)} label="referral link" />
              </p>
            </>
          )}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <div className="card">
        {notBuilt ? (
          <Empty>Resellers are not available on this server yet.</Empty>
        ) : (
          <QueryState query={q}>
            {q.data && q.data.resellers.length === 0 && offset === 0 ? (
              <Empty>No resellers yet. Create one above.</Empty>
            ) : (
              <div className="table-wrap">
                <table className="table" aria-busy={q.isPlaceholderData}>
                  <thead>
                    <tr>
                      <th>Reseller</th>
                      <th>Commission</th>
                      <th>Customers</th>
                      <th>Earned</th>
                      <th>Paid</th>
                      <th>Due</th>
                      <th>
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {q.data?.resellers.map((r) => (
                      <ResellerRow key={r.id} reseller={r} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager offset={offset} total={q.data?.total ?? 0} busy={q.isPlaceholderData} onChange={setOffset} />
          </QueryState>
        )}
      </div>
    </section>
  );
}

function referralLink(code: string): string {
  return `${location.origin}/?ref=${encodeURIComponent(code)}`;
}

function NewResellerForm({ onCreated }: { onCreated: (c: { email: string; accessCode: string; referralCode: string | null }) => void }) {
  const [email, setEmail] = useState('');
  const [percent, setPercent] = useState('10');
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const create = useAdminMutation((body: Record<string, unknown>) =>
    adminSend<{ accessCode: string; reseller?: { referralCode?: string } }>('POST', '/api/admin/resellers', body),
  );
  const emailOk = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim());
  const pct = Number(percent);
  const pctOk = percentOk(percent);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!emailOk || !pctOk) return;
    try {
      const res = await create.mutateAsync({ email: email.trim(), commissionPercent: pct, ...(code.trim() ? { referralCode: code.trim() } : {}) });
      onCreated({ email: email.trim(), accessCode: res.accessCode, referralCode: res.reseller?.referralCode ?? (code.trim() || null) });
      setEmail('');
      setCode('');
      setTouched(false);
    } catch {
      // shown below
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-reseller-heading">
      <h2 id="new-reseller-heading">New reseller</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="reseller-email">Email</label>
          <input
            id="reseller-email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={touched && !emailOk ? true : undefined}
          />
          {touched && !emailOk && <span className="field-error">Enter a valid email.</span>}
        </div>
        <div className="field">
          <label htmlFor="reseller-percent">Commission (%)</label>
          <input
            id="reseller-percent"
            inputMode="decimal"
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
            aria-invalid={touched && !pctOk ? true : undefined}
            aria-describedby="reseller-percent-hint"
          />
          {touched && !pctOk ? (
            <span className="field-error" id="reseller-percent-hint">
              {PERCENT_HINT}
            </span>
          ) : (
            <span className="field-hint" id="reseller-percent-hint">
              {PERCENT_HINT}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="reseller-code">Referral code (optional)</label>
          <input id="reseller-code" className="mono" value={code} onChange={(e) => setCode(e.target.value)} placeholder="generated if empty" />
        </div>
      </div>
      {create.isError && (
        <p className="notice notice-error" role="alert">
          {create.error.message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create reseller'}
        </button>
      </div>
    </form>
  );
}

function ResellerRow({ reseller: r }: { reseller: Reseller }) {
  const [percent, setPercent] = useState(String(r.commissionPercent));
  const [amount, setAmount] = useState(r.dueUsd > 0 ? r.dueUsd.toFixed(2) : '');
  const [note, setNote] = useState('');
  const patch = useAdminMutation((body: Record<string, unknown>) => adminSend('PATCH', `/api/admin/resellers/${r.id}`, body));
  const payout = useAdminMutation((body: Record<string, unknown>) => adminSend<{ dueUsd: number }>('POST', `/api/admin/resellers/${r.id}/payouts`, body));
  const pct = Number(percent);
  const pctValid = percentOk(percent);
  const pctOk = pctValid && pct !== r.commissionPercent;
  const amt = Number(amount);
  const amtFormat = /^\d+(\.\d{1,2})?$/.test(amount) && amt > 0;
  const amtOk = amtFormat && amt <= r.dueUsd;
  const amtProblem =
    r.dueUsd <= 0 || amount.trim() === '' ? null : !amtFormat ? 'A positive amount, up to 2 decimals' : !amtOk ? `At most ${formatUsd(r.dueUsd)} is due` : null;

  return (
    <tr className={r.active ? undefined : 'row-muted'}>
      <td>
        <strong className="email-text" title={r.email ?? r.id}>
          {r.email ?? r.id}
        </strong>{' '}
        {!r.active && <Pill value="inactive" />}
        <span className="block muted small">
          ref <span className="mono">{r.referralCode}</span> · since <Time value={r.createdAt} />
        </span>
      </td>
      <td>
        <div className="inline-form">
          <label className="sr-only" htmlFor={`pct-${r.id}`}>
            Commission for {r.email}
          </label>
          <input id={`pct-${r.id}`} className="input-sm" inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value)} />
          <span>%</span>
          {!pctValid && (
            <span className="field-error small" role="alert">
              {PERCENT_HINT}
            </span>
          )}
          <ConfirmAction
            label="Save"
            disabled={!pctOk}
            title="Change the commission?"
            body={
              <p>
                From {r.commissionPercent}% to {pct}% for orders fulfilled from now on.
              </p>
            }
            confirmLabel="Change"
            onConfirm={async () => {
              await patch.mutateAsync({ commissionPercent: pct });
              return 'Saved.';
            }}
          />
        </div>
      </td>
      <td>{r.customers}</td>
      <td>{formatUsd(r.earnedUsd)}</td>
      <td>{formatUsd(r.paidUsd)}</td>
      <td>
        {r.dueUsd < 0 ? (
          <span data-testid="owed-back">
            <strong className="danger-text">−{formatUsd(-r.dueUsd)}</strong>
            <span className="block muted small">owed back (refunds); no payouts</span>
          </span>
        ) : (
          <strong>{formatUsd(r.dueUsd)}</strong>
        )}
      </td>
      <td>
        <div className="reseller-actions">
          <div className="inline-form">
            <label className="sr-only" htmlFor={`amt-${r.id}`}>
              Payout amount (USD)
            </label>
            <input
              id={`amt-${r.id}`}
              className="input-sm"
              inputMode="decimal"
              placeholder="USD"
              value={amount}
              disabled={r.dueUsd <= 0}
              onChange={(e) => setAmount(e.target.value)}
            />
            <label className="sr-only" htmlFor={`note-${r.id}`}>
              Payout note
            </label>
            <input id={`note-${r.id}`} className="input-sm" placeholder="note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
            {amtProblem && (
              <span className="field-error small" role="alert" data-testid="payout-problem">
                {amtProblem}
              </span>
            )}
            <ConfirmAction
              label="Record payout"
              disabled={!amtOk}
              title="Record a payout?"
              body={
                <p>
                  Record that {r.email} was paid {amtOk ? formatUsd(amt) : '—'}. Due goes from {formatUsd(r.dueUsd)} to{' '}
                  {amtOk ? formatUsd(r.dueUsd - amt) : '—'}.
                </p>
              }
              confirmLabel="Record payout"
              onConfirm={async () => {
                const res = await payout.mutateAsync({ amountUsd: amt, ...(note.trim() ? { note: note.trim() } : {}) });
                setNote('');
                return `Recorded. Now due: ${formatUsd(res.dueUsd)}.`;
              }}
            />
          </div>
          <ConfirmAction
            label={r.active ? 'Deactivate' : 'Activate'}
            danger={r.active}
            title={r.active ? 'Deactivate this reseller?' : 'Activate this reseller?'}
            body={<p>{r.active ? 'New checkouts through their link are no longer attributed to them.' : 'Their referral link attributes checkouts again.'}</p>}
            confirmLabel={r.active ? 'Deactivate' : 'Activate'}
            onConfirm={async () => {
              await patch.mutateAsync({ active: !r.active });
              return r.active ? 'Deactivated.' : 'Activated.';
            }}
          />
        </div>
      </td>
    </tr>
  );
}
