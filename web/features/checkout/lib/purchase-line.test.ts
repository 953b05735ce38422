import { describe, expect, it } from 'vitest';
import type { Product } from '../../pricing/api/get-products';
import { type HeldPlan, purchaseLabel, purchaseLine } from './purchase-line';

const product = (id: string, priceUsd: number): Product => ({
  id,
  slug: id,
  name: id[0]!.toUpperCase() + id.slice(1),
  planType: 'starter',
  priceUsd,
  priceCents: priceUsd * 100,
  senders: 2,
  postingIntervalSeconds: 1800,
  validityDays: 30,
  available: true,
});
const bronze = product('bronze', 10);
const silver = product('silver', 20);
const products = [bronze, silver];
const holding = (p: Product | null, sendersReleased = false): HeldPlan => ({
  plan: p && { id: p.id, slug: p.slug, priceUsd: p.priceUsd },
  expiresAt: '2030-01-01T00:00:00.000Z',
  sendersReleased,
});

describe('the checkout page says what the server will store', () => {
  it('no plan, or a plan whose senders went back to stock, is a new purchase (no renewal line)', () => {
    expect(purchaseLabel(bronze, holding(null), products)).toBeNull();
    // Checkout stores this as `new` (fresh senders from stock); the page must not promise a renewal.
    expect(purchaseLabel(bronze, holding(bronze, true), products)).toBeNull();
  });

  it('the same plan renews; another plan upgrades when dearer, else switches', () => {
    expect(purchaseLabel(bronze, holding(bronze), products)).toBe('renewal');
    expect(purchaseLabel(silver, holding(bronze), products)).toBe('upgrade');
    expect(purchaseLabel(bronze, holding(silver), products)).toBe('change');
    expect(purchaseLine('renewal', bronze, holding(bronze), Date.parse('2029-01-01'))).toMatch(/^Renewal: adds 30 days → until /);
    expect(purchaseLine('upgrade', silver, holding(bronze))).toBe('Upgrade to Silver: 2 bots, posts every 30 minutes, +30 days');
  });

  it('a cheaper plan with the same senders while the plan runs is credited as days, worded as the plan menu does', () => {
    const now = Date.parse('2029-12-01T00:00:00Z');
    const held: HeldPlan = { ...holding(silver), plan: { id: 'silver', slug: 'silver', name: 'Silver', priceUsd: 20, senders: 2 }, botStatus: 'running' };
    expect(purchaseLabel(bronze, held, products, now)).toBe('credit');
    expect(purchaseLine('credit', bronze, held, now, products)).toBe(
      "Your Silver plan keeps running (same bots, same interval): this adds 15 days of Silver (the $10.00 credited at Silver's price of $0.67 a day).",
    );
    // Once it has ended, the cheaper plan replaces it.
    expect(purchaseLabel(bronze, held, products, Date.parse('2030-02-01'))).toBe('change');
  });
});
