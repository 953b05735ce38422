import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { addSendersResultSchema, senderStates, sendersSchema } from '../../../../src/shared/api/stock';
import { adminSend, qs, useAdminMutation, useAdminQuery } from '../api/admin-fetch';
import { plural, statusLabel } from '../lib/labels';
import { type LineOutcome, lineOutcomes, pastedLines } from '../lib/paste-lines';
import {
  announceAdminAction,
  ConfirmAction,
  Empty,
  PAGE_SIZE,
  Pager,
  Pill,
  QueryState,
  SortHeader,
  type SortState,
  sortParam,
  Time,
  useClearOnOtherAction,
} from './admin-ui';

export function StockScreen() {
  const [state, setState] = useState('');
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<SortState>(null);
  const sortBy = sortParam(sort);
  // The server pages: stock can run to thousands of senders.
  const q = useAdminQuery(['senders', state, sortBy, offset], `/api/admin/senders${qs({ state, sort: sortBy, limit: PAGE_SIZE, offset })}`, sendersSchema);
  const onSort = (next: SortState) => {
    setSort(next);
    setOffset(0);
  };
  const rows = q.data?.senders ?? [];
  const [replaced, setReplaced] = useState<string | null>(null);
  useClearOnOtherAction('replace-sender', () => setReplaced(null));

  return (
    <section aria-labelledby="stock-heading" className="admin-stack">
      <h1 id="stock-heading">Sender stock</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: a row of toggle chips, not a form to submit */}
      <div className="state-counts" role="group" aria-label="Filter by state">
        <button
          type="button"
          className={`state-chip ${state === '' ? 'active' : ''}`}
          aria-pressed={state === ''}
          onClick={() => {
            setState('');
            setOffset(0);
          }}
        >
          All <strong>{q.data ? Object.values(q.data.counts).reduce((a, b) => a + b, 0) : '…'}</strong>
        </button>
        {senderStates.map((s) => (
          <button
            key={s}
            type="button"
            className={`state-chip ${state === s ? 'active' : ''}`}
            aria-pressed={state === s}
            onClick={() => {
              setState(s);
              setOffset(0);
            }}
          >
            {statusLabel(s)} <strong data-testid={`count-${s}`}>{q.data?.counts[s] ?? '…'}</strong>
          </button>
        ))}
      </div>
      <AddSendersForm />
      {replaced && (
        <p className="notice notice-info" role="status" data-testid="replace-result">
          {replaced}
        </p>
      )}
      <div className="card">
        <QueryState query={q}>
          {rows.length === 0 && offset === 0 ? (
            <Empty>{state ? `No ${state} senders.` : 'No senders yet. Paste bot tokens above to add some.'}</Empty>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="senders-table" aria-busy={q.isPlaceholderData}>
                <thead>
                  <tr>
                    <SortHeader field="bot" label="Bot" sort={sort} onSort={onSort} />
                    <SortHeader field="state" label="State" sort={sort} onSort={onSort} />
                    <SortHeader field="customer" label="Used by" sort={sort} onSort={onSort} />
                    <th>Last error</th>
                    <SortHeader field="added" label="Added" sort={sort} onSort={onSort} firstDir="desc" />
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
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
                        {s.frozenUntil && (
                          <span className="block muted small">
                            until <Time value={s.frozenUntil} />
                          </span>
                        )}
                      </td>
                      <td className="small cell-email">
                        <UsedBy sender={s} />
                      </td>
                      <td className="small cell-wrap">{s.lastError ?? '—'}</td>
                      <td>
                        <Time value={s.createdAt} />
                      </td>
                      <td>{(s.state === 'assigned' || s.state === 'frozen') && s.adbotId && <ReplaceSender sender={s} onDone={setReplaced} />}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager offset={offset} total={q.data?.total ?? 0} busy={q.isPlaceholderData} onChange={setOffset} />
        </QueryState>
      </div>
    </section>
  );
}

type Sender = NonNullable<ReturnType<typeof sendersSchema.parse>>['senders'][number];

function UsedBy({ sender: s }: { sender: Sender }) {
  if (!s.adbotId && !s.orderId) return <>—</>;
  const who = s.customerEmail ? (
    <Link to={`/admin/customers?q=${encodeURIComponent(s.customerEmail)}`} title={s.customerEmail}>
      {s.customerEmail}
    </Link>
  ) : (
    <span className="muted">a deleted customer</span>
  );
  return (
    <span data-testid="used-by">
      {who}
      {!s.adbotId && s.orderId && <span className="block muted">holding order {s.orderNumber ? `#${s.orderNumber}` : ''}</span>}
    </span>
  );
}

type ReplaceResult = { outcome: 'replaced' | 'short'; replacement: { username: string } | null };

function ReplaceSender({ sender: s, onDone }: { sender: Sender; onDone: (message: string) => void }) {
  const replace = useAdminMutation(() => adminSend<ReplaceResult>('POST', `/api/admin/senders/${s.id}/replace`));
  const owner = s.customerEmail ?? 'the customer';
  return (
    <ConfirmAction
      label="Replace sender"
      danger
      title={`Replace @${s.username}?`}
      body={
        <p>
          @{s.username} is marked banned for good and {owner}'s bot gets a sender from stock. {owner} is told to add the new bot to their chats.
        </p>
      }
      confirmLabel="Ban and replace"
      onConfirm={async () => {
        const r = await replace.mutateAsync();
        // The row loses its button once the sender is banned, so the screen shows the outcome.
        onDone(
          r.replacement
            ? `@${s.username} banned and replaced by @${r.replacement.username}.`
            : `@${s.username} banned; no stock to replace it yet — the bot runs one sender short until you add stock.`,
        );
        return '';
      }}
    />
  );
}

type PasteOutcome = { added: number; rejected: number; lines: LineOutcome[] };

function AddSendersForm() {
  const [text, setText] = useState('');
  const [result, setResult] = useState<PasteOutcome | null>(null);
  const add = useAdminMutation(async (tokens: string[]) => addSendersResultSchema.parse(await adminSend('POST', '/api/admin/senders', { tokens })));
  const lines = pastedLines(text);
  const tokens = lines.map((l) => l.text);
  useClearOnOtherAction('add-senders', () => setResult(null));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (tokens.length === 0) return;
    announceAdminAction('add-senders');
    setResult(null);
    try {
      const res = await add.mutateAsync(tokens);
      const results = lineOutcomes(lines, res.outcomes);
      const refused = results.filter((r) => !r.added);
      setResult({ added: results.length - refused.length, rejected: refused.length, lines: results });
      // What was added is done; what was refused stays, to be fixed and sent again.
      setText(refused.map((r) => r.text).join('\n'));
    } catch {
      // shown below
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="add-senders-heading">
      <h2 id="add-senders-heading">Add senders</h2>
      <div className="field">
        <label htmlFor="sender-tokens">Bot tokens, one per line</label>
        <textarea
          id="sender-tokens"
          className="mono"
          rows={5}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={'123456789:AA…\nsandbox:demo_name'}
          spellCheck={false}
          autoComplete="off"
        />
        <span className="field-hint">
          Each token is checked with Telegram (getMe) and stored encrypted. "sandbox:name" adds a sandbox sender. Refused lines stay here to fix.
        </span>
      </div>
      <div className="form-actions">
        {add.isError && (
          <p className="notice notice-error" role="alert">
            {add.error.message}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={add.isPending || tokens.length === 0}>
          {add.isPending ? 'Checking tokens…' : tokens.length ? `Add ${plural(tokens.length, 'sender')}` : 'Add senders'}
        </button>
      </div>
      {result && (
        <div className="add-result" role="status" data-testid="add-result">
          <p>
            <strong>{result.added} added</strong>, <strong>{result.rejected} rejected</strong>
          </p>
          {/* In paste order: line N of the box is item N here. */}
          <ul className="line-results">
            {result.lines.map((r) =>
              r.added ? (
                <li key={r.line} className="ok" data-testid="added-line">
                  ✓ Line {r.line}: @{r.username} added
                </li>
              ) : (
                <li key={r.line} className="bad" data-testid="rejected-line">
                  ✗ Line {r.line}: <span className="mono">{r.token}</span> — {r.reason}
                </li>
              ),
            )}
          </ul>
        </div>
      )}
    </form>
  );
}
