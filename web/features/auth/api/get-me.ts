import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '../../../lib/api-client';
import type { Role } from '../lib/home-for';
import { hasSessionHint, setSessionHint } from '../lib/session-hint';

// Hand-checked rather than with zod: this runs on the pricing page, whose bundle must stay small.
export type Me = { id: string; role: Role; email?: string | null };

function parseMe(v: unknown): Me {
  const o = v as Partial<Me> | null;
  if (!o || typeof o.id !== 'string' || !['customer', 'reseller', 'admin'].includes(o.role as string)) {
    throw new ApiError(0, 'bad_response', 'The server sent an unexpected answer');
  }
  return { id: o.id, role: o.role as Role, email: typeof o.email === 'string' ? o.email : null };
}

// Signed-in screens always ask: a session may predate the hint (or storage was cleared).
const SIGNED_IN_PAGES = /^\/(admin|dashboard|reseller)(\/|$)/;

/** The logged-in user, or null when nobody is logged in (public pages ask only a browser that logged in). */
export async function getMe(): Promise<Me | null> {
  if (!hasSessionHint() && !SIGNED_IN_PAGES.test(window.location.pathname)) return null;
  try {
    const me = parseMe(await apiFetch('/api/auth/me'));
    setSessionHint(true);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setSessionHint(false);
      return null;
    }
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: getMe, staleTime: 60_000 });
}
