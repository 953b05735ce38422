export const RESELLER_PAGE_SIZE = 25;

/** "Showing N of M" and Previous/Next: the server pages, so a long history never loads at once. */
export function TablePager({
  label,
  offset,
  shown,
  total,
  pageSize = RESELLER_PAGE_SIZE,
  onChange,
}: {
  label: string;
  offset: number;
  shown: number;
  total: number;
  pageSize?: number;
  onChange: (offset: number) => void;
}) {
  if (total === 0) return null;
  const from = Math.min(total, offset + 1);
  const to = Math.min(total, offset + shown);
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <span className="muted small" data-testid={`${label.toLowerCase()}-showing`}>
        Showing {total <= pageSize && offset === 0 ? `${shown}` : `${from}–${to}`} of {total}
      </span>
      {total > pageSize && (
        <>
          <button type="button" className="btn btn-secondary btn-sm" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - pageSize))}>
            Previous
          </button>
          <button type="button" className="btn btn-secondary btn-sm" disabled={offset + pageSize >= total} onClick={() => onChange(offset + pageSize)}>
            Next
          </button>
        </>
      )}
    </nav>
  );
}
