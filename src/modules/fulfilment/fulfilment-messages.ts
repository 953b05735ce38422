// The words a customer reads when an order completes: one place, so the email, the
// in-app notification and the tests agree (the email must carry `Access code: <code>`).
import type { PurchaseKind } from '../../shared/purchase-kind.js';

export function describeInterval(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'every hour' : `every ${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'every minute' : `every ${seconds / 60} minutes`;
  return `every ${seconds} seconds`;
}

export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export type FulfilmentMessageInput = {
  kind: PurchaseKind;
  orderNumber: number;
  planName: string;
  senders: number;
  postingIntervalSeconds: number;
  expiresAt: Date;
  dashboardUrl: string;
  /** Only on the first purchase: the plaintext access code, never stored readable elsewhere. */
  accessCode: string | null;
  licenseKey: string | null;
};

/** `secrets` are the parts queueEmail must store masked: the customer alone gets them in full. */
export function fulfilmentEmail(m: FulfilmentMessageInput): { subject: string; bodyText: string; secrets: (string | null)[] } {
  const plan = `${m.planName} — ${m.senders} sender${m.senders === 1 ? '' : 's'}, posts ${describeInterval(m.postingIntervalSeconds)}`;
  const heading =
    m.kind === 'new'
      ? 'Your HQAdz adbot is ready.'
      : m.kind === 'renewal'
        ? `Your HQAdz plan is renewed. New expiry: ${formatUtc(m.expiresAt)}.`
        : `Your HQAdz plan is now ${m.planName}. New expiry: ${formatUtc(m.expiresAt)}.`;
  const lines = [`Thank you for order #${m.orderNumber}. ${heading}`, ''];
  if (m.accessCode) lines.push(`Access code: ${m.accessCode}`);
  if (m.licenseKey) lines.push(`License key: ${m.licenseKey}`);
  lines.push(`Plan: ${plan}`, `Valid until: ${formatUtc(m.expiresAt)}`, '', `Dashboard: ${m.dashboardUrl}`);
  if (m.accessCode) {
    lines.push(
      '',
      'Log in to the dashboard with the access code above. Keep this email: the code is',
      'not shown again. Add your bots to your groups, write your ad, list your chats and press Start.',
    );
  } else {
    lines.push('', 'Log in with your existing access code.');
  }
  const subject =
    m.kind === 'new'
      ? `Your HQAdz access code — order #${m.orderNumber}`
      : m.kind === 'renewal'
        ? `HQAdz plan renewed until ${formatUtc(m.expiresAt)}`
        : `HQAdz plan changed to ${m.planName}`;
  return { subject, bodyText: lines.join('\n'), secrets: [m.accessCode, m.licenseKey] };
}

export function fulfilmentNotification(m: FulfilmentMessageInput): { title: string; body: string } {
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
