import { type FormEvent, useState } from 'react';
import { type Plan, plansSchema } from '../../../../src/shared/api/admin';
import { formatUsd, intervalInWords } from '../../../lib/format';
import { adminSend, useAdminMutation, useAdminQuery } from '../api/admin-fetch';
import { ConfirmAction, Empty, Pill, QueryState } from './admin-ui';

type Draft = {
  slug: string;
  name: string;
  planType: 'starter' | 'enterprise';
  priceUsd: string;
  senders: string;
  postingIntervalSeconds: string;
  validityDays: string;
};
const emptyDraft: Draft = { slug: '', name: '', planType: 'starter', priceUsd: '', senders: '1', postingIntervalSeconds: '3600', validityDays: '30' };

function validate(d: Draft): Partial<Record<keyof Draft, string>> {
  const e: Partial<Record<keyof Draft, string>> = {};
  const int = (v: string, min: number, max: number) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
  if (!/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/.test(d.slug)) e.slug = 'Lowercase letters, digits and dashes (1–40).';
  if (!d.name.trim()) e.name = 'Give the plan a name.';
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(d.priceUsd) || Number(d.priceUsd) <= 0) e.priceUsd = 'A USD amount with at most 2 decimals, e.g. 29.99.';
  if (!int(d.senders, 1, 100)) e.senders = 'A whole number from 1 to 100.';
  if (!int(d.postingIntervalSeconds, 10, 86400)) e.postingIntervalSeconds = 'A whole number of seconds from 10 to 86400.';
  if (!int(d.validityDays, 1, 365)) e.validityDays = 'A whole number of days from 1 to 365.';
  return e;
}

const toDraft = (p: Plan): Draft => ({
  slug: p.slug,
  name: p.name,
  planType: p.planType,
  priceUsd: p.priceUsd.toFixed(2),
  senders: String(p.senders),
  postingIntervalSeconds: String(p.postingIntervalSeconds),
  validityDays: String(p.validityDays),
});

export function PlansScreen() {
  const q = useAdminQuery(['plans'], '/api/admin/products', plansSchema);
  const [editing, setEditing] = useState<Plan | 'new' | null>(null);
  const toggle = useAdminMutation((p: Plan) => adminSend('PATCH', `/api/admin/products/${p.id}`, { active: !p.active }));

  return (
    <section aria-labelledby="plans-heading" className="admin-stack">
      <div className="section-head">
        <h1 id="plans-heading">Plans</h1>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
          New plan
        </button>
      </div>
      <p className="muted small">Changes apply to new orders only: every order keeps the price and settings it was sold with.</p>
      {editing && <PlanForm key={editing === 'new' ? 'new' : editing.id} plan={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      <div className="card">
        <QueryState query={q}>
          {q.data && q.data.products.length === 0 ? (
            <Empty>No plans yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="plans-table">
                <thead>
                  <tr>
                    <th>Plan</th>
                    <th>Price</th>
                    <th>Senders</th>
                    <th>Posts</th>
                    <th>Days</th>
                    <th>Status</th>
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {q.data?.products.map((p) => (
                    <tr key={p.id} className={p.active ? undefined : 'row-muted'}>
                      <td>
                        <strong>{p.name}</strong> <span className="muted small">{p.planType}</span>
                        <span className="block muted small mono">{p.slug}</span>
                      </td>
                      <td>{formatUsd(p.priceUsd)}</td>
                      <td>{p.senders}</td>
                      <td>{intervalInWords(p.postingIntervalSeconds)}</td>
                      <td>{p.validityDays}</td>
                      <td>
                        <Pill value={p.active ? 'active' : 'inactive'} />
                      </td>
                      <td>
                        <div className="row-actions">
                          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
                            Edit
                          </button>
                          <ConfirmAction
                            label={p.active ? 'Deactivate' : 'Activate'}
                            danger={p.active}
                            title={p.active ? `Deactivate ${p.name}?` : `Put ${p.name} back on sale?`}
                            body={
                              <p>
                                {p.active
                                  ? 'The plan disappears from the pricing page and cannot be bought. Existing bots and orders are not affected.'
                                  : 'The plan appears on the pricing page again.'}
                              </p>
                            }
                            confirmLabel={p.active ? 'Deactivate' : 'Activate'}
                            onConfirm={async () => {
                              await toggle.mutateAsync(p);
                              return p.active ? 'Deactivated.' : 'On sale.';
                            }}
                          />
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </QueryState>
      </div>
    </section>
  );
}

function PlanForm({ plan, onDone }: { plan: Plan | null; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>(plan ? toDraft(plan) : emptyDraft);
  const [touched, setTouched] = useState(false);
  const save = useAdminMutation((body: Record<string, unknown>) =>
    plan ? adminSend('PATCH', `/api/admin/products/${plan.id}`, body) : adminSend('POST', '/api/admin/products', body),
  );
  const errors = validate(draft);
  const show = (k: keyof Draft) => (touched ? errors[k] : undefined);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(errors).length > 0) return;
    try {
      await save.mutateAsync({
        slug: draft.slug,
        name: draft.name.trim(),
        planType: draft.planType,
        priceUsd: draft.priceUsd,
        senders: Number(draft.senders),
        postingIntervalSeconds: Number(draft.postingIntervalSeconds),
        validityDays: Number(draft.validityDays),
      });
      onDone();
    } catch {
      // shown below
    }
  }

  const field = (k: keyof Draft, label: string, props: Record<string, unknown> = {}) => (
    <div className="field">
      <label htmlFor={`plan-${k}`}>{label}</label>
      <input
        id={`plan-${k}`}
        value={draft[k]}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
        aria-invalid={show(k) ? true : undefined}
        aria-describedby={show(k) ? `plan-${k}-error` : undefined}
        {...props}
      />
      {show(k) && (
        <span id={`plan-${k}-error`} className="field-error">
          {show(k)}
        </span>
      )}
    </div>
  );

  return (
    <form className="card plan-form" onSubmit={submit} noValidate aria-labelledby="plan-form-heading" data-testid="plan-form">
      <h2 id="plan-form-heading">{plan ? `Edit ${plan.name}` : 'New plan'}</h2>
      <div className="form-grid">
        {field('name', 'Name')}
        {field('slug', 'Slug (in the checkout link)', { className: 'mono', autoComplete: 'off' })}
        <div className="field">
          <label htmlFor="plan-planType">Type</label>
          <select id="plan-planType" value={draft.planType} onChange={(e) => setDraft({ ...draft, planType: e.target.value as Draft['planType'] })}>
            <option value="starter">Starter</option>
            <option value="enterprise">Enterprise</option>
          </select>
        </div>
        {field('priceUsd', 'Price (USD)', { inputMode: 'decimal' })}
        {field('senders', 'Senders (1–100)', { inputMode: 'numeric' })}
        {field('postingIntervalSeconds', 'Posting interval (seconds)', { inputMode: 'numeric' })}
        {field('validityDays', 'Validity (days)', { inputMode: 'numeric' })}
      </div>
      {!errors.postingIntervalSeconds && <p className="muted small">Posts {intervalInWords(Number(draft.postingIntervalSeconds))}.</p>}
      {save.isError && (
        <p className="notice notice-error" role="alert">
          {save.error.message}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : plan ? 'Save changes' : 'Create plan'}
        </button>
      </div>
    </form>
  );
}
