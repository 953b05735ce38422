// The plan menu's words for each plan change: what checkout and fulfilment will do, decided by
// the same rule they use (src/shared/plan-change.ts), so the menu never promises another outcome.
import { type HeldAdbot, isLowerPlan, type PlanChangePreview, previewPlanChange } from '../../../../src/shared/plan-change';
import { formatUsd, intervalInWords } from '../../../lib/format';
import type { Product } from '../../pricing/api/get-products';

const DAY_MS = 86_400_000;

/** The running plan as the menu knows it: its catalog entry and the adbot's state. */
export type RunningPlan = {
  plan: Pick<Product, 'id' | 'name' | 'priceCents'>;
  senderCount: number;
  status: HeldAdbot['status'];
  expiresAt: Date;
  sendersReleased: boolean;
};

export type PlanChangeOption = {
  outcome: PlanChangePreview['outcome'];
  /** Checkout would answer 409: shown, not payable. */
  payable: boolean;
  /** A bigger plan replaces the running one (the menu is then called "Upgrade"). */
  upgrade: boolean;
  label: string;
  effect: string;
};

function bots(n: number): string {
  return `${n} ${n === 1 ? 'bot' : 'bots'}`;
}

function days(n: number): string {
  return `${n} ${n === 1 ? 'day' : 'days'}`;
}

export function planChangeOption(to: Product, running: RunningPlan, now: Date): PlanChangeOption {
  const held: HeldAdbot = {
    planId: running.plan.id,
    senderCount: running.senderCount,
    planPriceCents: running.plan.priceCents,
    status: running.status,
    expiresAt: running.expiresAt,
    sendersReleased: running.sendersReleased,
  };
  const change = previewPlanChange({ planId: to.id, senders: to.senders, priceCents: to.priceCents, validityDays: to.validityDays }, held, now);
  const price = formatUsd(to.priceUsd);
  const from = running.plan.name;
  switch (change.outcome) {
    case 'refused':
      return {
        outcome: change.outcome,
        payable: false,
        upgrade: false,
        label: `${to.name} — ${price}`,
        effect: `Not available while your ${from} plan runs: ${to.name} has ${bots(to.senders)}, fewer than your ${running.senderCount}. Renew ${from} or pick a bigger plan; smaller plans can be bought after ${from} ends.`,
      };
    case 'credit': {
      const perDay = formatUsd(running.plan.priceCents / 100 / to.validityDays);
      return {
        outcome: change.outcome,
        payable: true,
        upgrade: false,
        label: `${to.name} — ${price}, as days on ${from}`,
        effect: `Your ${from} plan keeps running (same bots, same interval): this adds ${days(change.days)} of ${from} (the ${price} credited at ${from}'s price of ${perDay} a day).`,
      };
    }
    case 'new':
      return {
        outcome: change.outcome,
        payable: true,
        upgrade: false,
        label: `Buy ${to.name} — ${price}`,
        effect: `Starts afresh from the moment you pay: ${bots(to.senders)} to add to your groups, posts ${intervalInWords(to.postingIntervalSeconds)}, for ${days(to.validityDays)}.`,
      };
    default: {
      // 'upgrade' (or 'renewal', which the menu does not list): the order's plan replaces the running one.
      const msLeft = running.expiresAt.getTime() - now.getTime();
      const left = msLeft > 0 ? Math.floor(msLeft / DAY_MS) : 0;
      const kept = left > 0 ? `your ${days(left)} left are kept and ${days(to.validityDays)} are added` : `${days(to.validityDays)} from the moment you pay`;
      const diff = to.senders - running.senderCount;
      const botsLine =
        diff > 0
          ? `${bots(to.senders)} (${diff} more to add to your groups)`
          : diff < 0
            ? `${bots(to.senders)} (${-diff} of yours leave your groups)`
            : bots(to.senders);
      const higher = !isLowerPlan({ senders: to.senders, priceCents: to.priceCents }, held);
      return {
        outcome: change.outcome,
        payable: true,
        upgrade: higher,
        label: `${higher ? 'Upgrade' : 'Switch'} to ${to.name} — ${price}`,
        effect: `${to.name} replaces ${from} from the moment you pay: ${botsLine}, posts ${intervalInWords(to.postingIntervalSeconds)}; ${kept}.`,
      };
    }
  }
}
