// Telegram's flood limits, kept in this process: about 30 messages/s per bot (we stay at
// 25) and one message per few seconds per chat. Several workers each keep their own
// limiter; across workers the per-chat spacing is enforced at claim time (posts table) and
// each bot is driven by one worker at a time (see sender-lease.ts).

export type SendLimiterOptions = {
  perBotPerSecond?: number;
  perChatGapMs?: number;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
  nowMs?: () => number;
};

export const PER_CHAT_GAP_MS = 3000;

export class SendLimiter {
  private readonly botGapMs: number;
  private readonly chatGapMs: number;
  private readonly nextBotAt = new Map<string, number>();
  private readonly nextChatAt = new Map<string, number>();
  private readonly pausedUntil = new Map<string, number>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly nowMs: () => number;

  constructor({ perBotPerSecond = 25, perChatGapMs = PER_CHAT_GAP_MS, sleep, nowMs }: SendLimiterOptions = {}) {
    this.botGapMs = 1000 / perBotPerSecond;
    this.chatGapMs = perChatGapMs;
    this.sleep = sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.nowMs = nowMs ?? Date.now;
  }

  /**
   * Waits for this bot's and this chat's next free moment and books it. Bookings are made
   * before the wait, so concurrent callers queue up instead of all waking at once.
   * Returns false, without sending, when the bot is paused (flood wait) now or by the time
   * its turn comes: the caller gives the slot back rather than earn another 429.
   */
  async acquire(senderKey: string, chatKey: string): Promise<boolean> {
    const now = this.nowMs();
    if (this.isPaused(senderKey, now)) return false;
    const at = Math.max(now, this.nextBotAt.get(senderKey) ?? 0, this.nextChatAt.get(chatKey) ?? 0);
    this.nextBotAt.set(senderKey, at + this.botGapMs);
    this.nextChatAt.set(chatKey, at + this.chatGapMs);
    if (at > now) await this.sleep(at - now);
    this.prune(now);
    return !this.isPaused(senderKey, this.nowMs());
  }

  /** How long a call for this bot and chat would wait now (Infinity while the bot is paused). */
  waitMs(senderKey: string, chatKey: string): number {
    const now = this.nowMs();
    if (this.isPaused(senderKey, now)) return Number.POSITIVE_INFINITY;
    return Math.max(0, (this.nextBotAt.get(senderKey) ?? 0) - now, (this.nextChatAt.get(chatKey) ?? 0) - now);
  }

  /** When this bot's flood wait ends (0: none). */
  pausedUntilMs(senderKey: string): number {
    return this.pausedUntil.get(senderKey) ?? 0;
  }

  /** Telegram said "retry after": no call for this bot before `untilMs`. */
  pause(senderKey: string, untilMs: number): void {
    if ((this.pausedUntil.get(senderKey) ?? 0) < untilMs) this.pausedUntil.set(senderKey, untilMs);
  }

  private isPaused(senderKey: string, now: number): boolean {
    const until = this.pausedUntil.get(senderKey);
    if (until === undefined) return false;
    if (until > now) return true;
    this.pausedUntil.delete(senderKey);
    return false;
  }

  /** Stale bookings are dropped so a long-running worker does not grow without bound. */
  private prune(now: number): void {
    if (this.nextChatAt.size < 10_000) return;
    for (const [k, t] of this.nextChatAt) if (t < now) this.nextChatAt.delete(k);
    for (const [k, t] of this.nextBotAt) if (t < now) this.nextBotAt.delete(k);
  }
}
