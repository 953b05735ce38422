import { useEffect } from 'react';

export const SITE_NAME = 'HQAdz';

/** "Checkout — Silver" → "Checkout — Silver · HQAdz": each page names itself in the browser tab. */
export function pageTitle(title: string | undefined): string {
  return title ? `${title} · ${SITE_NAME}` : `${SITE_NAME} — scheduled Telegram ad posting`;
}

/** Sets the tab title while the page is shown; call once per page. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = pageTitle(title);
  }, [title]);
}
