import { type SQL, sql } from 'drizzle-orm';
import { commissions, orders } from '../../db/schema.js';

/**
 * What a reseller has earned, in cents: booked commissions of orders that were not refunded.
 * A refund reverses the commission by the order's status alone (commissions.order_id is
 * unique, so no negative row can offset it, and a status needs no extra column to drift).
 * Every balance (earned, due, the payout check) must go through this.
 */
export function earnedCentsSql(resellerId: SQL | string): SQL<number> {
  // Aliased by hand: inside a single-table select drizzle drops column qualifiers, and
  // orders.id vs resellers.id would then be ambiguous.
  return sql<number>`(select coalesce(sum(c.amount_cents), 0) from ${commissions} c
    inner join ${orders} o on o.id = c.order_id
    where c.reseller_id = ${resellerId} and o.status <> 'refunded')`.mapWith(Number);
}
