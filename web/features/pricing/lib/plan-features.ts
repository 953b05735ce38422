// What a plan card promises. Every line is something the server does: the chat limit is the
// one PUT /api/user/bot enforces, and the log is GET /api/user/posts with its CSV.

import { MAX_CHATS } from '../../../../src/shared/plan-limits';
import { intervalInWords } from '../../../lib/format';
import type { Product } from '../api/get-products';

export type PlanFeature = { text: string; testId?: string };

export function planFeatures(plan: Pick<Product, 'senders' | 'postingIntervalSeconds' | 'validityDays'>): PlanFeature[] {
  return [
    { text: `${plan.senders} ${plan.senders === 1 ? 'account' : 'accounts'} posting for you`, testId: 'plan-accounts' },
    { text: `Posts ${intervalInWords(plan.postingIntervalSeconds)}`, testId: 'plan-interval' },
    { text: `${plan.validityDays} days, renew any time` },
    { text: `Up to ${MAX_CHATS} groups and channels per adbot`, testId: 'plan-chats' },
    { text: 'Delivery log of every post, with links and CSV export', testId: 'plan-log' },
  ];
}
