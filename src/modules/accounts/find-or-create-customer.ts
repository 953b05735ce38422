import { eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { preparedFor } from '../../db/prepared.js';
import { users } from '../../db/schema.js';

export type FindOrCreateCustomerOptions = { tx: DbOrTx; email: string; referredBy?: string | null };

export type Customer = { id: string; email: string; role: 'customer' | 'reseller' | 'admin'; banned: boolean; isNew: boolean };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The customer behind an email, created on first checkout. ON CONFLICT makes two simultaneous first checkouts agree on one user. */
export async function findOrCreateCustomer({ tx, email, referredBy }: FindOrCreateCustomerOptions): Promise<Customer> {
  const normalised = normaliseEmail(email);
  // Every checkout makes it: prepared once (src/db/prepared.ts).
  const inserted = await preparedFor(tx, 'customer_insert', (db) =>
    db
      .insert(users)
      .values({ email: sql.placeholder('email'), role: 'customer', referredBy: sql.placeholder('referredBy') })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id, role: users.role, banned: users.banned })
      .prepare('customer_insert'),
  ).execute({ email: normalised, referredBy: referredBy ?? null });
  if (inserted[0]) return { ...inserted[0], email: normalised, isNew: true };
  const [existing] = await tx.select({ id: users.id, role: users.role, banned: users.banned }).from(users).where(eq(users.email, normalised));
  if (!existing) throw new Error(`user ${normalised} vanished between insert and select`);
  // An existing customer keeps their first referrer; one without gets this one.
  if (referredBy) {
    await tx
      .update(users)
      .set({ referredBy: sql`coalesce(${users.referredBy}, ${referredBy}::uuid)` })
      .where(eq(users.id, existing.id));
  }
  return { ...existing, email: normalised, isNew: false };
}

export type CustomerCtesOptions = {
  /** SQL of the normalised email (a placeholder, cast to text). */
  email: SQL;
  /** SQL of the referring reseller's id, or null. */
  referredBy: SQL;
  /** Only where this holds is anything written: otherwise `customer` is the existing user, if any. */
  when: SQL;
};

/**
 * findOrCreateCustomer as CTEs of the caller's statement (checkout's order, one round trip for
 * both): `customer` is the email's user with `is_new` when this statement created it, and an
 * existing customer keeps their first referrer (one without gets this one). A user another
 * transaction commits after the statement's snapshot is neither created nor seen: `customer`
 * is then empty, and the caller asks findOrCreateCustomer, whose statements see it.
 */
export function customerCtes({ email, referredBy, when }: CustomerCtesOptions): SQL {
  return sql`new_customer as (
      insert into ${users} (email, role, referred_by) select ${email}, 'customer', ${referredBy} where ${when}
      on conflict (email) do nothing
      returning id, role, banned
    ),
    first_referrer as (
      update ${users} set referred_by = coalesce(${users.referredBy}, ${referredBy})
      where ${users.email} = ${email} and ${referredBy} is not null and ${when}
      returning ${users.id}
    ),
    customer as (
      select id, role, banned, true as is_new from new_customer
      union all
      select ${users.id}, ${users.role}, ${users.banned}, false from ${users} where ${users.email} = ${email}
    )`;
}
