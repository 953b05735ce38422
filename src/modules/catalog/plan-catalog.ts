// The plans of SPEC §1, seeded on first start. After that the database is the only
// source of prices: admins edit plans there and every page reads them from the API.
export type PlanSeed = {
  slug: string;
  name: string;
  planType: 'starter' | 'enterprise';
  priceCents: number;
  senders: number;
  postingIntervalSeconds: number;
  validityDays: number;
};

export const defaultPlans: PlanSeed[] = [
  { slug: 'bronze', name: 'Bronze', planType: 'starter', priceCents: 3000, senders: 1, postingIntervalSeconds: 3600, validityDays: 30 },
  { slug: 'silver', name: 'Silver', planType: 'starter', priceCents: 5500, senders: 2, postingIntervalSeconds: 1800, validityDays: 30 },
  { slug: 'gold', name: 'Gold', planType: 'starter', priceCents: 8000, senders: 3, postingIntervalSeconds: 1200, validityDays: 30 },
  { slug: 'diamond', name: 'Diamond', planType: 'starter', priceCents: 16000, senders: 6, postingIntervalSeconds: 600, validityDays: 30 },
  { slug: 'basic', name: 'Basic', planType: 'enterprise', priceCents: 19900, senders: 3, postingIntervalSeconds: 900, validityDays: 30 },
  { slug: 'pro', name: 'Pro', planType: 'enterprise', priceCents: 45000, senders: 7, postingIntervalSeconds: 420, validityDays: 30 },
  { slug: 'elite', name: 'Elite', planType: 'enterprise', priceCents: 89900, senders: 15, postingIntervalSeconds: 120, validityDays: 30 },
];
