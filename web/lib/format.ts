export function formatUsd(amount: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 }).format(amount);
}

/** 3600 → "every hour", 1800 → "every 30 minutes", 90 → "every 90 seconds". */
export function intervalInWords(seconds: number): string {
  if (seconds % 86400 === 0) return seconds === 86400 ? 'every day' : `every ${seconds / 86400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'every hour' : `every ${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'every minute' : `every ${seconds / 60} minutes`;
  return `every ${seconds} seconds`;
}

export type TimeDirection = 'past' | 'future' | 'either';

/**
 * "in 3 days", "2 hours ago", "just now". A time known to be in the past (a post sent, an
 * order made) never reads "in 5 seconds" because this browser's clock runs a little behind
 * the server's; one known to be ahead (next post) never reads "ago", it is "due now".
 */
export function relativeTime(date: Date | string, now = Date.now(), direction: TimeDirection = 'either'): string {
  const t = typeof date === 'string' ? new Date(date).getTime() : date.getTime();
  let diff = Math.round((t - now) / 1000);
  if (direction === 'past') diff = Math.min(0, diff);
  if (direction === 'future' && diff <= 0) return 'due now';
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const abs = Math.abs(diff);
  if (abs < 10) return direction === 'future' ? 'in a few seconds' : 'just now';
  if (abs < 60) return rtf.format(diff, 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86400), 'day');
}

/** How often a relative time must be redrawn to stay true to the unit it shows. */
export function refreshIntervalMs(date: Date | string, now = Date.now()): number {
  const abs = Math.abs(new Date(date).getTime() - now);
  if (abs < 60_000) return 1000;
  if (abs < 3_600_000) return 15_000;
  return 60_000;
}

/** The one exact format, everywhere: "1 Dec 2026, 17:05". */
export function exactTime(date: Date | string): string {
  return new Date(date).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** The date alone, in the same style: "1 Dec 2026". */
export function exactDate(date: Date | string): string {
  return new Date(date).toLocaleDateString('en-GB', { dateStyle: 'medium' });
}

/** 3725000 ms → "1:02:05"; 65000 → "1:05"; days shown as "3d 4h". Never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return `${d}d ${h}h`;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return h > 0 ? `${h}:${mm}:${String(s).padStart(2, '0')}` : `${mm}:${String(s).padStart(2, '0')}`;
}

// Stablecoins read as money: "15" USDT looks like a typo next to "15.50", so they always show cents.
const MIN_DECIMALS: Record<string, number> = { usdttrc20: 2, usdterc20: 2, usdt: 2, usdc: 2 };

/** A coin amount exactly as the provider quoted it: never rounded, never in exponent form. */
export function formatCoinAmount(amount: number | string, currency?: string): string {
  let s = typeof amount === 'string' ? amount.trim() : String(amount);
  if (typeof amount === 'number' && s.includes('e')) s = amount.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
  const min = currency ? (MIN_DECIMALS[currency.toLowerCase()] ?? 0) : 0;
  if (min > 0 && /^\d+(\.\d*)?$/.test(s)) {
    const [int, frac = ''] = s.split('.');
    s = `${int}.${frac.padEnd(min, '0')}`;
  }
  return s;
}
