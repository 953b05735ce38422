import type { plans } from '../../db/schema.js';

export type AdminPlan = {
  id: string;
  slug: string;
  name: string;
  planType: 'starter' | 'enterprise';
  priceUsd: number;
  senders: number;
  postingIntervalSeconds: number;
  validityDays: number;
  active: boolean;
  sortOrder: number;
  createdAt: Date;
  updatedAt: Date;
};

export function toAdminPlan(p: typeof plans.$inferSelect): AdminPlan {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    planType: p.planType,
    priceUsd: p.priceCents / 100,
    senders: p.senders,
    postingIntervalSeconds: p.postingIntervalSeconds,
    validityDays: p.validityDays,
    active: p.active,
    sortOrder: p.sortOrder,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

/** Postgres unique violation (slug taken), on both drivers. */
export function isUniqueViolation(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    if ((e as { code?: unknown }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
