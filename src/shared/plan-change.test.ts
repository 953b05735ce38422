import { describe, expect, it } from 'vitest';
import { creditedDays, decidePlanChange, type HeldAdbot, isLowerPlan, isRunning, previewPlanChange, refusesFewerSenders } from './plan-change.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const DAY = 86_400_000;
// The seeded catalog (SPEC.md §1): senders and price in cents.
const plan = {
  bronze: { planId: 'bronze', senders: 1, priceCents: 3000, validityDays: 30 },
  silver: { planId: 'silver', senders: 2, priceCents: 5500, validityDays: 30 },
  gold: { planId: 'gold', senders: 3, priceCents: 8000, validityDays: 30 },
  diamond: { planId: 'diamond', senders: 6, priceCents: 16000, validityDays: 30 },
  basic: { planId: 'basic', senders: 3, priceCents: 19900, validityDays: 30 },
};
const running = (p: (typeof plan)[keyof typeof plan], over: Partial<HeldAdbot> = {}): HeldAdbot => ({
  planId: p.planId,
  senderCount: p.senders,
  planPriceCents: p.priceCents,
  status: 'running',
  expiresAt: new Date(NOW.getTime() + 10 * DAY),
  sendersReleased: false,
  ...over,
});

describe('credited days', () => {
  it('is round(validityDays × paid price ÷ running price)', () => {
    expect(creditedDays(plan.bronze, plan.gold.priceCents)).toBe(11); // 11.25
    expect(creditedDays(plan.bronze, plan.diamond.priceCents)).toBe(6); // 5.625
    expect(creditedDays(plan.silver, plan.diamond.priceCents)).toBe(10); // 10.3125
    expect(creditedDays(plan.gold, plan.basic.priceCents)).toBe(12); // 12.06
    expect(creditedDays(plan.basic, plan.diamond.priceCents)).toBe(37); // 37.31: fewer senders, more money
  });
  it('is at least one day, and the order own validity against a free running plan', () => {
    expect(creditedDays({ validityDays: 30, priceCents: 100 }, 89_900)).toBe(1);
    expect(creditedDays({ validityDays: 1, priceCents: 0 }, 3000)).toBe(1);
    expect(creditedDays({ validityDays: 30, priceCents: 3000 }, 0)).toBe(30);
  });
});

describe('what a paid order does to the running plan', () => {
  it('fewer senders is lower; at equal senders a lower price is', () => {
    expect(isLowerPlan(plan.bronze, running(plan.gold))).toBe(true);
    expect(isLowerPlan(plan.basic, running(plan.diamond))).toBe(true);
    expect(isLowerPlan(plan.gold, running(plan.basic))).toBe(true);
    expect(isLowerPlan(plan.basic, running(plan.gold))).toBe(false);
    expect(isLowerPlan(plan.diamond, running(plan.bronze))).toBe(false);
    expect(isLowerPlan(plan.gold, running(plan.gold))).toBe(false);
  });
  it('credits a lower plan while the running one is in force (stopped and suspended count)', () => {
    expect(decidePlanChange(plan.bronze, running(plan.gold), NOW)).toEqual({ outcome: 'credit', days: 11 });
    expect(decidePlanChange(plan.bronze, running(plan.diamond, { status: 'stopped' }), NOW)).toEqual({ outcome: 'credit', days: 6 });
    expect(decidePlanChange(plan.bronze, running(plan.gold, { status: 'suspended' }), NOW)).toEqual({ outcome: 'credit', days: 11 });
  });
  it('upgrades to a higher plan, renews the same one, and starts from scratch with none', () => {
    expect(decidePlanChange(plan.diamond, running(plan.bronze), NOW)).toEqual({ outcome: 'upgrade' });
    expect(decidePlanChange(plan.basic, running(plan.gold), NOW)).toEqual({ outcome: 'upgrade' });
    expect(decidePlanChange(plan.gold, running(plan.gold), NOW)).toEqual({ outcome: 'renewal' });
    expect(decidePlanChange(plan.gold, undefined, NOW)).toEqual({ outcome: 'new' });
    expect(decidePlanChange(plan.bronze, running(plan.gold, { sendersReleased: true }), NOW)).toEqual({ outcome: 'new' });
  });
  it('an expired plan is not running: a smaller plan paid then replaces it as bought', () => {
    const expired = running(plan.diamond, { status: 'expired', expiresAt: new Date(NOW.getTime() - DAY) });
    expect(isRunning(expired, NOW)).toBe(false);
    expect(decidePlanChange(plan.bronze, expired, NOW)).toEqual({ outcome: 'upgrade' });
    // Past its expiry before the expiry job got to it: the same.
    const due = running(plan.diamond, { expiresAt: NOW });
    expect(isRunning(due, NOW)).toBe(false);
    expect(decidePlanChange(plan.bronze, due, NOW)).toEqual({ outcome: 'upgrade' });
  });
});

describe('what the plan menu shows before paying', () => {
  it('is checkout refusal for fewer senders while the plan is in force, whatever its status', () => {
    expect(refusesFewerSenders(plan.bronze, running(plan.gold), NOW)).toBe(true);
    expect(refusesFewerSenders(plan.bronze, running(plan.gold, { status: 'stopped' }), NOW)).toBe(true);
    expect(previewPlanChange(plan.silver, running(plan.diamond), NOW)).toEqual({ outcome: 'refused', reason: 'fewer_senders' });
    // Past its expiry, or its senders gone: payable.
    expect(refusesFewerSenders(plan.bronze, running(plan.gold, { expiresAt: NOW }), NOW)).toBe(false);
    expect(refusesFewerSenders(plan.bronze, running(plan.gold, { sendersReleased: true }), NOW)).toBe(false);
    expect(refusesFewerSenders(plan.bronze, undefined, NOW)).toBe(false);
  });
  it('is what fulfilment decides for every payable plan', () => {
    const cases: [keyof typeof plan, HeldAdbot | undefined][] = [
      ['gold', running(plan.basic)],
      ['diamond', running(plan.basic)],
      ['basic', running(plan.gold)],
      ['diamond', running(plan.bronze, { status: 'suspended' })],
      ['bronze', running(plan.diamond, { status: 'expired', expiresAt: new Date(NOW.getTime() - DAY) })],
      ['bronze', undefined],
    ];
    for (const [to, held] of cases) expect(previewPlanChange(plan[to], held, NOW)).toEqual(decidePlanChange(plan[to], held, NOW));
    expect(previewPlanChange(plan.gold, running(plan.basic), NOW)).toEqual({ outcome: 'credit', days: 12 });
  });
});
