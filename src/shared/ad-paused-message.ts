// One sentence for an ad Telegram refused, the same in the customer's notification and on the
// dashboard banner, so the two never tell different stories.

/** `Your ad was paused: <reason>. Edit the ad to fix it, then Start.` */
export function adPausedMessage(reason: string): string {
  return `Your ad was paused: ${reason}. Edit the ad to fix it, then Start.`;
}
