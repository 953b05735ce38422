// The words a customer reads when an order completes: one place, so the email, the
// in-app notification and the tests agree (the email must carry `Access code: <code>`).
import type { FulfilmentOutcome } from '../../shared/plan-change.js';

export function describeInterval(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'every hour' : `every ${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'every minute' : `every ${seconds / 60} minutes`;
  return `every ${seconds} seconds`;
}

export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export type FulfilmentMessageInput = {
  /** What fulfilment did (src/shared/plan-change.ts), which may differ from the kind checkout stored. */
  kind: FulfilmentOutcome;
  orderNumber: number;
  /** The plan the account runs now, with its senders and interval (for a credit: the running one, kept). */
  planName: string;
  senders: number;
  postingIntervalSeconds: number;
  expiresAt: Date;
  dashboardUrl: string;
  /** The first purchase's access code, or a fresh one: the plaintext, never stored readable elsewhere. */
  accessCode: string | null;
  /** The code replaces one a checkout page had shown (secure-account-on-payment.ts). */
  accessCodeRotated?: boolean;
  licenseKey: string | null;
  /** Only for a credit: the smaller plan the order paid for, and the days it added to `planName`. */
  credit?: { paidPlanName: string; days: number };
};

const ROTATED_LINES = [
  'Your access code has changed. The old one had been shown on the checkout page of an order for',
  'this email, so it no longer works and every device that was logged in has been logged out.',
  'Log in with the new code above. Keep this email: the code is not shown again.',
];

function emailHeading(m: FulfilmentMessageInput): string {
  const expiry = formatUtc(m.expiresAt);
  if (m.kind === 'new') return 'Your HQAdz adbot is ready.';
  if (m.kind === 'renewal') return `Your HQAdz plan is renewed. New expiry: ${expiry}.`;
  if (m.kind === 'credit') {
    const { paidPlanName, days } = m.credit ?? { paidPlanName: 'a smaller plan', days: 0 };
    return (
      `You paid for ${paidPlanName}, but your account already runs ${m.planName}, a bigger plan. We never lower a running plan: ` +
      `instead, ${paidPlanName}'s value was added to ${m.planName} as ${dayCount(days)} (at ${m.planName}'s price). New expiry: ${expiry}.`
    );
  }
  return `Your HQAdz plan is now ${m.planName}. New expiry: ${expiry}.`;
}

function emailSubject(m: FulfilmentMessageInput): string {
  const newCode = m.accessCodeRotated ? ' — new access code inside' : '';
  if (m.kind === 'new') return `Your HQAdz access code — order #${m.orderNumber}`;
  if (m.kind === 'renewal') return `HQAdz plan renewed until ${formatUtc(m.expiresAt)}${newCode}`;
  if (m.kind === 'credit') return `HQAdz order #${m.orderNumber}: ${dayCount(m.credit?.days ?? 0)} added to your ${m.planName} plan${newCode}`;
  return `HQAdz plan changed to ${m.planName}${newCode}`;
}

const dayCount = (days: number) => `${days} day${days === 1 ? '' : 's'}`;

/** `secrets` are the parts queueEmail must store masked: the customer alone gets them in full. */
export function fulfilmentEmail(m: FulfilmentMessageInput): { subject: string; bodyText: string; secrets: (string | null)[] } {
  const plan = `${m.planName} — ${m.senders} sender${m.senders === 1 ? '' : 's'}, posts ${describeInterval(m.postingIntervalSeconds)}`;
  const lines = [`Thank you for order #${m.orderNumber}. ${emailHeading(m)}`, ''];
  if (m.accessCode) lines.push(`Access code: ${m.accessCode}`);
  if (m.licenseKey) lines.push(`License key: ${m.licenseKey}`);
  lines.push(`Plan: ${plan}`, `Valid until: ${formatUtc(m.expiresAt)}`, '', `Dashboard: ${m.dashboardUrl}`);
  if (m.accessCode && m.accessCodeRotated) {
    lines.push('', ...ROTATED_LINES);
  } else if (m.accessCode) {
    lines.push(
      '',
      'Log in to the dashboard with the access code above. Keep this email: the code is',
      'not shown again. Add your bots to your groups, write your ad, list your chats and press Start.',
    );
  } else {
    lines.push('', 'Log in with your existing access code.');
  }
  return { subject: emailSubject(m), bodyText: lines.join('\n'), secrets: [m.accessCode, m.licenseKey] };
}

export function fulfilmentNotification(m: FulfilmentMessageInput): { title: string; body: string } {
  const said = notificationText(m);
  if (!m.accessCodeRotated) return said;
  return { ...said, body: `${said.body} Your access code was changed: the new one is in the email for order #${m.orderNumber}.` };
}

function notificationText(m: FulfilmentMessageInput): { title: string; body: string } {
  if (m.kind === 'credit') {
    const { paidPlanName, days } = m.credit ?? { paidPlanName: 'A smaller plan', days: 0 };
    return {
      title: `${dayCount(days)} added to ${m.planName}`,
      body: `Order #${m.orderNumber} paid for ${paidPlanName}, a smaller plan than your ${m.planName}. A running plan is never lowered: ${m.planName} is kept and now runs until ${formatUtc(m.expiresAt)}.`,
    };
  }
  if (m.kind === 'new') {
    return {
      title: 'Your adbot is ready',
      body: `${m.planName} is active until ${formatUtc(m.expiresAt)}. Add your bots to your groups, write your ad and press Start.`,
    };
  }
  if (m.kind === 'renewal') {
    return { title: 'Plan renewed', body: `${m.planName} now runs until ${formatUtc(m.expiresAt)}.` };
  }
  return {
    title: `Plan changed to ${m.planName}`,
    body: `${m.senders} senders, posting ${describeInterval(m.postingIntervalSeconds)}, until ${formatUtc(m.expiresAt)}.`,
  };
}
