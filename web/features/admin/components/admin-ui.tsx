// Building blocks every admin screen shares: loading/empty/error states, pagination,
// confirmed actions and times shown relative with the exact time on hover.

import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { RelativeTime } from '../../../components/relative-time';
import type { TimeDirection } from '../../../lib/format';
import { statusLabel } from '../lib/labels';

export const PAGE_SIZE = 25;

type QueryLike = { isPending: boolean; isError: boolean; error: Error | null; refetch: () => unknown };

/** Renders the query's loading and error states, or `children` once data exists. */
export function QueryState({ query, children, rows = 5 }: { query: QueryLike; children: ReactNode; rows?: number }) {
  if (query.isPending) {
    return (
      <div className="admin-loading" role="status" aria-busy="true" aria-label="Loading">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="skeleton admin-skeleton-row" />
        ))}
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="notice notice-error" role="alert">
        <p>Couldn't load this: {query.error?.message ?? 'unknown error'}</p>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  return <>{children}</>;
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="empty" data-testid="empty">
      {children}
    </p>
  );
}

/**
 * Page controls. While the next page is in flight (`busy`: the table still shows the previous
 * page as a placeholder) the range is not claimed yet: it says "Loading…" and the buttons wait.
 */
export function Pager({
  offset,
  total,
  pageSize = PAGE_SIZE,
  busy = false,
  onChange,
}: {
  offset: number;
  total: number;
  pageSize?: number;
  busy?: boolean;
  onChange: (offset: number) => void;
}) {
  if (total <= pageSize && offset === 0) {
    // A short list's count is a claim too: not while a new filter's list is still on its way.
    if (busy) return <p className="pager muted small">Loading…</p>;
    return total > 0 ? <p className="pager muted small">{total} in total</p> : null;
  }
  const from = Math.min(total, offset + 1);
  const to = Math.min(total, offset + pageSize);
  return (
    <nav className="pager" aria-label="Pagination" aria-busy={busy}>
      <span className="muted small" aria-live="polite">
        {busy ? 'Loading…' : `${from}–${to} of ${total}`}
      </span>
      <button type="button" className="btn btn-secondary btn-sm" disabled={busy || offset === 0} onClick={() => onChange(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <button type="button" className="btn btn-secondary btn-sm" disabled={busy || offset + pageSize >= total} onClick={() => onChange(offset + pageSize)}>
        Next
      </button>
    </nav>
  );
}

/** A list's sort as the server takes it: `field` ascending, `-field` descending; null = the list's own order. */
export type SortState = { field: string; dir: 'asc' | 'desc' } | null;

export function sortParam(sort: SortState): string | undefined {
  return sort ? `${sort.dir === 'desc' ? '-' : ''}${sort.field}` : undefined;
}

/**
 * A column header that sorts the table. Clicks cycle: `firstDir`, the other direction, then back
 * to the list's own order. `aria-sort` tells screen readers which column leads.
 */
export function SortHeader({
  field,
  label,
  sortsBy = label.toLowerCase(),
  sort,
  onSort,
  firstDir = 'asc',
}: {
  field: string;
  label: string;
  /** What the column sorts on, when that is not its title (the Plan column sorts by price). */
  sortsBy?: string;
  sort: SortState;
  onSort: (next: SortState) => void;
  firstDir?: 'asc' | 'desc';
}) {
  const active = sort?.field === field ? sort.dir : null;
  const next: SortState = active === null ? { field, dir: firstDir } : active === firstDir ? { field, dir: active === 'asc' ? 'desc' : 'asc' } : null;
  // aria-sort only on the column that leads: screen readers announce it as the sort.
  return (
    <th aria-sort={active === 'asc' ? 'ascending' : active === 'desc' ? 'descending' : undefined}>
      <button
        type="button"
        className={`th-sort ${active ? 'active' : ''}`}
        onClick={() => onSort(next)}
        title={next ? `Sort by ${sortsBy}, ${next.dir === 'asc' ? 'ascending' : 'descending'}` : 'Back to the default order'}
      >
        {label}
        <span aria-hidden="true" className="sort-arrow">
          {active === 'asc' ? '▲' : active === 'desc' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

export function Time({ value, direction = 'either' }: { value: string | null | undefined; direction?: TimeDirection }) {
  if (!value) return <span className="muted">—</span>;
  return <RelativeTime value={value} direction={direction} />;
}

const pillTone: Record<string, string> = {
  fulfilled: 'pill-success',
  running: 'pill-success',
  applied: 'pill-success',
  finished: 'pill-success',
  sent: 'pill-success',
  unused: 'pill-success',
  active: 'pill-success',
  paid: 'pill-warning',
  partially_paid: 'pill-warning',
  underpaid: 'pill-warning',
  stuck: 'pill-danger',
  backordered: 'pill-danger',
  reserved: 'pill-warning',
  confirming: 'pill-warning',
  outbox: 'pill-warning',
  frozen: 'pill-warning',
  suspended: 'pill-danger',
  banned: 'pill-danger',
  failed: 'pill-danger',
  refunded: 'pill-danger',
  expired: 'pill-danger',
};

/**
 * How a payment event ended, coloured honestly: green only when it moved the payment on;
 * a duplicate or an ignored (e.g. replayed) event is grey; refused or unknown is red.
 */
export function OutcomePill({ verdict }: { verdict: string }) {
  const tone =
    verdict === 'applied' || verdict === 'changed'
      ? 'pill-success'
      : verdict.startsWith('rejected') || verdict === 'unknown_payment' || verdict === 'bad_signature'
        ? 'pill-danger'
        : 'pill-neutral';
  return (
    <span className={`pill ${tone}`} data-testid="event-outcome" data-tone={tone}>
      {statusLabel(verdict)}
    </span>
  );
}

export function Pill({ value }: { value: string }) {
  const tone = pillTone[value] ?? (value.startsWith('rejected') ? 'pill-danger' : '');
  return <span className={`pill ${tone}`}>{statusLabel(value)}</span>;
}

export type ConfirmActionProps = {
  label: string;
  /** The button's accessible name when `label` alone repeats on every row ("Suspend alice@…"). */
  ariaLabel?: string;
  title: string;
  body: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  disabled?: boolean;
  className?: string;
  /** Runs after confirmation; the returned text is shown as the result (green unless `{ neutral }`: it did nothing). */
  onConfirm: () => Promise<ReactNode | { neutral: ReactNode }>;
};

/** A button that asks first (a modal dialog), runs the action, and says what happened. */
// Only the latest action's result stays on screen: an older one would read as current.
const ACTION_STARTED = 'admin-action-started';

/** Call when any admin action starts, so earlier action results are cleared. */
export function announceAdminAction(source: string): void {
  window.dispatchEvent(new CustomEvent(ACTION_STARTED, { detail: source }));
}

/** Clears `clear` whenever another admin action starts. */
export function useClearOnOtherAction(source: string, clear: () => void): void {
  const latest = useRef(clear);
  latest.current = clear;
  useEffect(() => {
    const onStart = (e: Event) => {
      if ((e as CustomEvent<string>).detail !== source) latest.current();
    };
    window.addEventListener(ACTION_STARTED, onStart);
    return () => window.removeEventListener(ACTION_STARTED, onStart);
  }, [source]);
}

export function ConfirmAction({ label, ariaLabel, title, body, confirmLabel = 'Confirm', danger, disabled, className, onConfirm }: ConfirmActionProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ tone: 'ok' | 'bad' | 'neutral'; text: ReactNode } | null>(null);
  const source = useId();
  useClearOnOtherAction(source, () => setResult(null));

  async function run() {
    announceAdminAction(source);
    setPending(true);
    try {
      const r = await onConfirm();
      const neutral = typeof r === 'object' && r !== null && 'neutral' in r;
      setResult(neutral ? { tone: 'neutral', text: r.neutral } : { tone: 'ok', text: r as ReactNode });
    } catch (err) {
      setResult({ tone: 'bad', text: err instanceof Error ? err.message : 'That did not work' });
    } finally {
      setPending(false);
      dialog.current?.close();
    }
  }

  return (
    <span className={`confirm-action ${className ?? ''}`}>
      <button
        type="button"
        className={`btn btn-sm btn-secondary ${danger ? 'danger-text' : ''}`}
        aria-label={ariaLabel}
        disabled={disabled || pending}
        onClick={() => {
          setResult(null);
          dialog.current?.showModal();
        }}
      >
        {label}
      </button>
      <dialog ref={dialog} className="admin-dialog" aria-labelledby={undefined} aria-label={title}>
        <h2>{title}</h2>
        <div className="admin-dialog-body">{body}</div>
        <div className="row-actions admin-dialog-actions">
          <button type="button" className="btn btn-secondary" onClick={() => dialog.current?.close()} disabled={pending}>
            Cancel
          </button>
          <button type="button" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} onClick={() => void run()} disabled={pending}>
            {pending ? 'Working…' : confirmLabel}
          </button>
        </div>
      </dialog>
      {result && result.text !== '' && (
        <span className={`action-result ${result.tone}`} role="status">
          {result.text}
        </span>
      )}
    </span>
  );
}

/** A value typed into a search box, applied after the user pauses typing. */
export function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}
