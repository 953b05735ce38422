// Checkout owns the orders table: every write to an order from another module goes through a
// function here. The lifecycle only moves forward, along the table below; a move it does not
// allow is refused (the caller sees `moved: false` and the status the order really has),
// never written over.
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { preparedFor } from '../../db/prepared.js';
import { orders } from '../../db/schema.js';

export type OrderStatus = (typeof orders.status.enumValues)[number];
type OrderRow = typeof orders.$inferInsert;

/**
 * Where an order may go from each status. `expired → paid`, `failed → paid` and `cancelled → paid`:
 * money after the invoice lapsed (or failed, or the buyer cancelled it or picked another coin) is honoured.
 */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['partially_paid', 'paid', 'expired', 'failed', 'refunded', 'cancelled'],
  partially_paid: ['paid', 'expired', 'failed', 'refunded'],
  expired: ['paid', 'refunded'],
  cancelled: ['partially_paid', 'paid', 'refunded'],
  // Failed with its invoice (or by the provider): money that arrives anyway is still honoured.
  failed: ['partially_paid', 'paid', 'refunded'],
  paid: ['fulfilled', 'refunded'],
  fulfilled: ['refunded'],
  refunded: [],
};

/** The other columns a transition may set with the status. */
export type OrderTransitionSet = Partial<Pick<OrderRow, 'paidAt' | 'fulfilledAt' | 'backordered' | 'pendingAccessCode' | 'creditedDays'>>;

export type TransitionOrderOptions = {
  to: OrderStatus;
  /**
   * Only from these statuses (a subset of what the table allows). Listing `to` itself allows
   * staying there: the other columns and updatedAt are written again.
   */
  from?: readonly OrderStatus[];
  set?: OrderTransitionSet;
};

export type TransitionOrderResult =
  | { moved: true; status: OrderStatus }
  /** Refused: `status` is what the order is (null: no such order). */
  | { moved: false; status: OrderStatus | null };

/** The statuses an order may leave for `to`, given the caller's own restriction. */
export function statusesAllowedTo(to: OrderStatus, from?: readonly OrderStatus[]): OrderStatus[] {
  const all = Object.keys(orderTransitions) as OrderStatus[];
  return all.filter((s) => (from ? from.includes(s) : true) && (s === to ? from?.includes(s) === true : orderTransitions[s].includes(to)));
}

/**
 * Moves one order's status, in one conditional statement (safe without a prior lock; callers
 * holding the row lock get the same answer). Always sets updatedAt. Each shape of move (target,
 * allowed statuses, columns set) is prepared once (src/db/prepared.ts): the payment path makes
 * one on every paid order, inside the transaction that holds the order's lock.
 */
export async function transitionOrder(db: DbOrTx, orderId: string, { to, from, set = {} }: TransitionOrderOptions): Promise<TransitionOrderResult> {
  const allowed = statusesAllowedTo(to, from);
  if (allowed.length > 0) {
    const columns = (Object.keys(set) as (keyof OrderTransitionSet)[]).filter((k) => set[k] !== undefined).sort();
    const values: Record<string, unknown> = { orderId };
    // Bare placeholders (no column encoder, which would turn a null date into a crash): dates as ISO text.
    for (const k of columns) values[k] = set[k] instanceof Date ? (set[k] as Date).toISOString() : set[k];
    const name = statementName(`${to}|${allowed.join(',')}|${columns.join(',')}`);
    const [moved] = await preparedFor(db, name, (d) =>
      d
        .update(orders)
        .set({ ...Object.fromEntries(columns.map((k) => [k, sql`${sql.placeholder(k)}`])), status: to, updatedAt: sql`now()` })
        .where(and(eq(orders.id, sql.placeholder('orderId')), inArray(orders.status, allowed)))
        .returning({ id: orders.id })
        .prepare(name),
    ).execute(values);
    if (moved) return { moved: true, status: to };
  }
  const [row] = await preparedFor(db, 'order_status_by_id', (d) =>
    d
      .select({ status: orders.status })
      .from(orders)
      .where(eq(orders.id, sql.placeholder('orderId')))
      .prepare('order_status_by_id'),
  ).execute({ orderId });
  return { moved: false, status: row?.status ?? null };
}

/**
 * transitionOrder as a part of the caller's statement (a data-modifying CTE): the same move,
 * taken only when `onlyIf` holds. For a caller that holds the order's lock in that statement and
 * so knows the move is allowed; it learns nothing back. Values may be placeholders.
 */
export function transitionOrderSql(
  db: DbOrTx,
  orderId: unknown,
  { to, from, set = {} }: Omit<TransitionOrderOptions, 'set'> & { set?: Partial<Record<keyof OrderTransitionSet, SQL>> },
  onlyIf: SQL,
): SQL {
  const allowed = statusesAllowedTo(to, from);
  if (allowed.length === 0) throw new Error(`transitionOrderSql: no status may move to ${to}`);
  return db
    .update(orders)
    .set({ ...set, status: to, updatedAt: sql`now()` })
    .where(and(eq(orders.id, orderId as string), inArray(orders.status, allowed), onlyIf))
    .getSQL();
}

/**
 * The order changed without a move (a payment was added to it): its row version changes, so a
 * writer that checked the order's version before (apply-in-one-statement.ts) sees it did.
 */
export async function touchOrder(db: DbOrTx, orderId: string): Promise<{ orderNumber: number } | null> {
  const [row] = await db.update(orders).set({ updatedAt: sql`now()` }).where(eq(orders.id, orderId)).returning({ orderNumber: orders.orderNumber });
  return row ?? null;
}

/** One short statement name per shape of move (PostgreSQL cuts names at 63 bytes). */
const shapes = new Map<string, string>();
function statementName(shape: string): string {
  let name = shapes.get(shape);
  if (!name) {
    name = `order_transition_${shapes.size + 1}`;
    shapes.set(shape, name);
  }
  return name;
}

/** Paid but short of stock: fulfilment flags the order so the back-order queue retries it. */
export async function markOrderBackordered(db: DbOrTx, orderId: string): Promise<void> {
  await db.update(orders).set({ backordered: true, updatedAt: sql`now()` }).where(eq(orders.id, orderId));
}
