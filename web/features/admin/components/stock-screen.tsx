import { type FormEvent, useState } from 'react';
import { adminSend, qs, useAdminMutation, useAdminQuery } from '../api/admin-fetch';
import { type AddSendersResult, addSendersResultSchema, senderStates, sendersSchema } from '../api/schemas';
import { Empty, PAGE_SIZE, Pager, Pill, QueryState, Time } from './admin-ui';

export function StockScreen() {
  const [state, setState] = useState('');
  const [offset, setOffset] = useState(0);
  // The server pages: stock can run to thousands of senders.
  const q = useAdminQuery(['senders', state, offset], `/api/admin/senders${qs({ state, limit: PAGE_SIZE, offset })}`, sendersSchema);
  const rows = q.data?.senders ?? [];

  return (
    <section aria-labelledby="stock-heading" className="admin-stack">
      <h1 id="stock-heading">Sender stock</h1>
      <div className="state-counts" role="group" aria-label="Filter by state">
        <button type="button" className={`state-chip ${state === '' ? 'active' : ''}`} aria-pressed={state === ''} onClick={() => { setState(''); setOffset(0); }}>
          All <strong>{q.data ? Object.values(q.data.counts).reduce((a, b) => a + b, 0) : '…'}</strong>
        </button>
        {senderStates.map((s) => (
          <button key={s} type="button" className={`state-chip ${state === s ? 'active' : ''}`} aria-pressed={state === s} onClick={() => { setState(s); setOffset(0); }}>
            {s} <strong data-testid={`count-${s}`}>{q.data?.counts[s] ?? '…'}</strong>
          </button>
        ))}
      </div>
      <AddSendersForm />
      <div className="card">
        <QueryState query={q}>
          {rows.length === 0 && offset === 0 ? (
            <Empty>{state ? `No ${state} senders.` : 'No senders yet. Paste bot tokens above to add some.'}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="senders-table">
                <thead>
                  <tr>
                    <th>Bot</th>
                    <th>State</th>
                    <th>Used by</th>
                    <th>Last error</th>
                    <th>Added</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => (
                    <tr key={s.id}>
                      <td>
                        @{s.username} {s.isSandbox && <span className="pill">sandbox</span>}
                        <span className="block muted small mono">{s.telegramBotId}</span>
                      </td>
                      <td>
                        <Pill value={s.state} />
                        {s.frozenUntil && <span className="block muted small">until <Time value={s.frozenUntil} /></span>}
                      </td>
                      <td className="small mono">{s.adbotId ? `bot ${s.adbotId.slice(0, 8)}` : s.orderId ? `order ${s.orderId.slice(0, 8)}` : '—'}</td>
                      <td className="small cell-wrap">{s.lastError ?? '—'}</td>
                      <td><Time value={s.createdAt} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager offset={offset} total={q.data?.total ?? 0} onChange={setOffset} />
        </QueryState>
      </div>
    </section>
  );
}

function AddSendersForm() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<AddSendersResult | null>(null);
  const add = useAdminMutation(async (tokens: string[]) => addSendersResultSchema.parse(await adminSend('POST', '/api/admin/senders', { tokens })));
  const tokens = text.split('\n').map((l) => l.trim()).filter(Boolean);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (tokens.length === 0) return;
    setResult(null);
    try {
      setResult(await add.mutateAsync(tokens));
      setText('');
    } catch {
      // shown below
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="add-senders-heading">
      <h2 id="add-senders-heading">Add senders</h2>
      <div className="field">
        <label htmlFor="sender-tokens">Bot tokens, one per line</label>
        <textarea id="sender-tokens" className="mono" rows={5} value={text} onChange={(e) => setText(e.target.value)} placeholder={'123456789:AA…\nsandbox:demo_name'} spellCheck={false} autoComplete="off" />
        <span className="field-hint">Each token is checked with Telegram (getMe) and stored encrypted. "sandbox:name" adds a sandbox sender.</span>
      </div>
      <div className="form-actions">
        {add.isError && <p className="notice notice-error" role="alert">{add.error.message}</p>}
        <button type="submit" className="btn btn-primary" disabled={add.isPending || tokens.length === 0}>
          {add.isPending ? 'Checking tokens…' : tokens.length ? `Add ${tokens.length} sender${tokens.length === 1 ? '' : 's'}` : 'Add senders'}
        </button>
      </div>
      {result && (
        <div className="add-result" role="status" data-testid="add-result">
          <p>
            <strong>{result.added}</strong> added{result.rejected.length > 0 && <>, <strong>{result.rejected.length}</strong> rejected</>}.
          </p>
          <ul className="line-results">
            {result.senders.map((s) => (
              <li key={s.username} className="ok">✓ @{s.username} added</li>
            ))}
            {result.rejected.map((r, i) => (
              <li key={`${r.token}-${i}`} className="bad">
                ✗ <span className="mono">{r.token}</span> — {r.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
