import { useEffect, useState } from 'react';

export const SITE_NAME = 'HQAdz';

/** "Checkout — Silver" → "Checkout — Silver · HQAdz": each page names itself in the browser tab. */
export function pageTitle(title: string | undefined): string {
  return title ? `${title} · ${SITE_NAME}` : `${SITE_NAME} — scheduled Telegram ad posting`;
}

// Every mounted caller, by the order it first rendered. React renders a parent before its
// children and a sibling before the next, so the latest caller is the innermost part of the
// page: a checkout's pay step ("Payment expired — Silver") wins over the page around it
// ("Checkout — Silver") even when the page's own title changes later, and the page's title
// comes back when the step goes away.
const callers = new Map<number, string | undefined>();
let nextCaller = 0;

function applyTitle(): void {
  if (callers.size === 0) return;
  const named = [...callers].filter(([, title]) => title !== undefined);
  const latest = named.length ? named.reduce((a, b) => (b[0] > a[0] ? b : a)) : undefined;
  document.title = pageTitle(latest?.[1]);
}

/** Sets the tab title while the component is shown; the innermost caller with a title wins (undefined: no say, e.g. still loading). */
export function usePageTitle(title: string | undefined): void {
  const [id] = useState(() => nextCaller++);
  useEffect(() => {
    callers.set(id, title);
    applyTitle();
  }, [id, title]);
  useEffect(
    () => () => {
      callers.delete(id);
      applyTitle();
    },
    [id],
  );
}
