import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { plans } from '../../db/schema.js';
import { countAvailableSenders } from '../stock/count-available-senders.js';

export type Product = {
  id: string;
  slug: string;
  name: string;
  planType: 'starter' | 'enterprise';
  priceUsd: number;
  priceCents: number;
  senders: number;
  postingIntervalSeconds: number;
  validityDays: number;
  available: boolean;
};

export type ListProductsOptions = { db: DbOrTx };

/** Active plans with availability computed from unreserved stock. */
export async function listProducts({ db }: ListProductsOptions): Promise<Product[]> {
  const [rows, stock] = await Promise.all([
    db.select().from(plans).where(eq(plans.active, true)).orderBy(asc(plans.sortOrder), asc(plans.priceCents)),
    countAvailableSenders({ db }),
  ]);
  return rows.map((p) => ({
    id: p.id,
    slug: p.slug,
    name: p.name,
    planType: p.planType,
    priceUsd: p.priceCents / 100,
    priceCents: p.priceCents,
    senders: p.senders,
    postingIntervalSeconds: p.postingIntervalSeconds,
    validityDays: p.validityDays,
    available: stock >= p.senders,
  }));
}
