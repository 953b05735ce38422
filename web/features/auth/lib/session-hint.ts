// Whether this browser has logged in and not out since. The session cookie is HttpOnly, so
// the page cannot see it; without this hint every anonymous visitor's first page asked
// /api/auth/me and got a 401 in the console. Set on login, cleared on logout or on a 401.
const KEY = 'hqadz.session';

export function hasSessionHint(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    // Storage blocked: ask the server, as before.
    return true;
  }
}

export function setSessionHint(on: boolean): void {
  try {
    if (on) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Storage blocked: nothing to remember.
  }
}
