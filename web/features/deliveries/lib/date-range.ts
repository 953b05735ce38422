// The log's date filters are days as the customer's calendar shows them; the API takes instants.

/** '2025-03-02' → the ISO instant this browser's day starts; '' → undefined. */
export function dayStart(day: string): string | undefined {
  if (!/^\d{4}-\d\d-\d\d$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toISOString();
}

/** '2025-03-02' → the instant the next local day starts: the API's `to` is exclusive, so the whole day counts. */
export function dayEnd(day: string): string | undefined {
  if (!/^\d{4}-\d\d-\d\d$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + 1).toISOString();
}
