import { useQuery } from '@tanstack/react-query';
import type { Me } from '../../../../src/shared/api/accounts';
import { ApiError, apiFetch, badResponse } from '../../../lib/api-client';
import { hasSessionHint, setSessionHint } from '../lib/session-hint';

export type { Me };

const roles: readonly string[] = ['customer', 'reseller', 'admin'] satisfies Me['role'][];

// The contract's type, checked by hand rather than with zod: this runs on the pricing page,
// whose bundle must stay small. The server checks its answer against meSchema.
function parseMe(v: unknown): Me {
  const o = v as Partial<Me> | null;
  if (!o || typeof o.id !== 'string' || !roles.includes(o.role as string)) throw badResponse();
  return { id: o.id, role: o.role as Me['role'], email: typeof o.email === 'string' ? o.email : null };
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
    if (err instanceof ApiError && err.code === 'unauthorized') {
      setSessionHint(false);
      return null;
    }
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: getMe, staleTime: 60_000 });
}
