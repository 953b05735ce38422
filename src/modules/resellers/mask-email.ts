/**
 * What a reseller may see of a customer's email: enough to recognise a buyer they
 * referred ("a***@gmail.com"), not enough to contact or poach them.
 */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return `${email.slice(0, 1)}***`;
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
