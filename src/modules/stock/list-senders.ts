import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { adbots, orders, senders, users } from '../../db/schema.js';
import type { Sort } from '../../lib/sort.js';

export const senderStates = senders.state.enumValues;
export type SenderState = (typeof senderStates)[number];

export type SenderSummary = {
  id: string;
  telegramBotId: string;
  username: string;
  state: SenderState;
  isSandbox: boolean;
  orderId: string | null;
  adbotId: string | null;
  /** Who the sender works for (through its adbot, or the order holding it), for people to read. */
  customerId: string | null;
  customerEmail: string | null;
  orderNumber: number | null;
  frozenUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
};

/** What an admin can sort the stock by. */
export const senderSortFields = ['bot', 'state', 'customer', 'added'] as const;
export type SenderSortField = (typeof senderSortFields)[number];

export type ListSendersOptions = { db: DbOrTx; state?: SenderState; sort?: Sort<SenderSortField> | undefined; limit: number; offset: number };

const senderSortColumns = { bot: senders.username, state: senders.state, customer: users.email, added: senders.createdAt } as const;

/** One page of senders; `total` matches the filter, `counts` is the whole stock by state. */
export type ListSendersResult = { senders: SenderSummary[]; total: number; counts: Record<SenderState, number> };

/** The stock as admins see it. Selects columns explicitly: a token never leaves the table. */
export async function listSenders({ db, state, sort, limit, offset }: ListSendersOptions): Promise<ListSendersResult> {
  const [rows, countRows] = await Promise.all([
    db
      .select({
        id: senders.id,
        telegramBotId: senders.telegramBotId,
        username: senders.username,
        state: senders.state,
        isSandbox: senders.isSandbox,
        orderId: senders.orderId,
        adbotId: senders.adbotId,
        customerId: users.id,
        customerEmail: users.email,
        orderNumber: orders.orderNumber,
        frozenUntil: senders.frozenUntil,
        lastError: senders.lastError,
        createdAt: senders.createdAt,
      })
      .from(senders)
      .leftJoin(adbots, eq(adbots.id, senders.adbotId))
      .leftJoin(orders, eq(orders.id, senders.orderId))
      .leftJoin(users, sql`${users.id} = coalesce(${adbots.userId}, ${orders.userId})`)
      .where(state ? eq(senders.state, state) : undefined)
      .orderBy(
        ...(sort ? [sql`${senderSortColumns[sort.field]} ${sql.raw(sort.dir)} nulls last`] : []),
        asc(senders.createdAt),
        asc(senders.username),
        asc(senders.id),
      )
      .limit(limit)
      .offset(offset),
    db.select({ state: senders.state, n: sql<number>`count(*)::int` }).from(senders).groupBy(senders.state),
  ]);
  const counts: Record<SenderState, number> = { unused: 0, reserved: 0, assigned: 0, frozen: 0, banned: 0 };
  for (const c of countRows) counts[c.state] = Number(c.n);
  return {
    // Bot ids are 64-bit: a string keeps them exact in JSON.
    senders: rows.map((r) => ({ ...r, telegramBotId: r.telegramBotId.toString(), orderNumber: r.orderNumber === null ? null : Number(r.orderNumber) })),
    // The per-state counts already cover the filter: no second count query.
    total: state ? counts[state] : Object.values(counts).reduce((a, b) => a + b, 0),
    counts,
  };
}
