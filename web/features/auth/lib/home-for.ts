export type Role = 'customer' | 'reseller' | 'admin';

/** Where each role lands after logging in. */
export function homeFor(role: Role): string {
  return role === 'admin' ? '/admin' : role === 'reseller' ? '/reseller' : '/dashboard';
}
