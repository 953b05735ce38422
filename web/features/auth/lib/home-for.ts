import type { Role } from '../../../../src/shared/api/common';

export type { Role };

/** Where each role lands after logging in. */
export function homeFor(role: Role): string {
  return role === 'admin' ? '/admin' : role === 'reseller' ? '/reseller' : '/dashboard';
}
