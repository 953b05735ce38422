import type { ReactNode } from 'react';

/** A card's loading, error and empty states, so every section fails and waits the same way. */
export function SectionState({
  title,
  id,
  isPending,
  error,
  onRetry,
  isEmpty,
  empty,
  children,
}: {
  title: string;
  id: string;
  isPending: boolean;
  error: Error | null;
  onRetry: () => void;
  isEmpty: boolean;
  empty: ReactNode;
  children: ReactNode;
}) {
  let body: ReactNode;
  if (isPending) body = <div className="skeleton table-skeleton" role="status" aria-busy="true" aria-label={`Loading ${title.toLowerCase()}`} />;
  else if (error)
    body = (
      <div className="notice notice-error" role="alert">
        <p>
          Couldn't load {title.toLowerCase()}. {error.message}
        </p>
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  else if (isEmpty) body = <p className="empty">{empty}</p>;
  else body = children;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {body}
    </section>
  );
}
