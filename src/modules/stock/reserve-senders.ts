import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { senders } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

export type ReserveSendersOptions = { tx: DbOrTx; orderId: string; count: number };

/**
 * Holds `count` unused senders for an order. SKIP LOCKED lets concurrent checkouts take
 * different rows instead of queueing on the same ones; a shortfall throws so the caller's
 * transaction rolls back and no half-reserved order survives. Senders that paid back-ordered
 * orders are still missing are not for sale: those customers paid first.
 */
export async function reserveSenders({ tx, orderId, count }: ReserveSendersOptions): Promise<void> {
  if (count <= 0) return;
  const res = (await tx.execute(sql`with ${reservationCtes(sql`${orderId}::uuid`, sql`${count}`)} select id from reserved`)) as unknown as { rows: unknown[] };
  if (res.rows.length < count) {
    // The caller's transaction rolls back, and with it this statement's partial reservation.
    throw outOfStock();
  }
}

/** The shortfall a reservation statement reports (`reserved` rows fewer than asked): the caller's transaction must roll back. */
export function outOfStock(): AppError {
  return new AppError('out_of_stock', 'This plan is sold out right now. Please check back soon.');
}

/**
 * The reservation as CTEs (`owed`, `picked`, `reserved`) for another owner's statement to
 * carry, as checkout's order insert does (one round trip for the order and its stock):
 * `reserved` returns the ids of the senders now held by `orderId`, at most `count`; fewer
 * than `count` means out of stock and the caller must roll back. The senders owed to
 * back-orders are skipped (OFFSET) before `count` are locked and reserved. A CTE with
 * FOR UPDATE runs once, so each row is locked once.
 */
export function reservationCtes(orderId: SQL, count: SQL): SQL {
  return sql`owed as (${owedToBackordersSql}),
    picked as (
      select ${senders.id} as id from ${senders}
      where ${senders.state} = 'unused' and (${senders.frozenUntil} is null or ${senders.frozenUntil} <= now())
      -- Senders added in one batch share created_at; without a tie-break the pick would be arbitrary.
      order by ${senders.createdAt}, ${senders.username}, ${senders.id}
      limit ${count}::int offset (select n from owed)
      for update skip locked
    ),
    reserved as (
      update ${senders} set state = 'reserved', order_id = ${orderId}, updated_at = now()
      from picked where ${senders.id} = picked.id
      returning ${senders.id}
    )`;
}

/**
 * Senders still missing across paid back-ordered orders, counted the way fulfilment does:
 * the customer's adbot's usable senders (plus banned ones up to its plan size) and the
 * order's own reservation.
 */
export async function countOwedToBackorders(tx: DbOrTx): Promise<number> {
  const res = (await tx.execute(owedToBackordersSql)) as unknown as { rows: { n: number | string }[] };
  return Number(res.rows[0]?.n ?? 0);
}

const owedToBackordersSql = sql`
    select coalesce(sum(greatest(0, o.senders - coalesce(h.held, 0) - r.n)), 0)::int as n
    from orders o
    left join lateral (
      select greatest(
        count(*) filter (where s.state in ('assigned', 'frozen')),
        least(max(a.sender_count), count(*))
      ) as held
      from adbots a
      join senders s on s.adbot_id = a.id and s.state in ('assigned', 'frozen', 'banned')
      where a.user_id = o.user_id
    ) h on true
    cross join lateral (
      select count(*) as n from senders s where s.order_id = o.id and s.state = 'reserved'
    ) r
    where o.status = 'paid' and o.backordered
  `;
