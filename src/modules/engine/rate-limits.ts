// A 429 names one chat: Telegram limits a bot per chat (about 20 messages a minute in a group)
// as well as overall (about 30 a second). So a 429 from one chat pauses that chat for its
// retry_after; only 429s from several chats of one bot within a minute mean the bot itself is
// over its limit, and then the bot pauses everywhere.

/** 429s from this many distinct chats of one bot within WINDOW_MS pause the bot. */
export const BOT_PAUSE_CHATS = 3;
const WINDOW_MS = 60_000;

export class RateLimitTracker {
  private readonly hits = new Map<string, { chat: string; at: number }[]>();

  /** Records a 429 for (sender, chat); returns whether the bot as a whole should pause. */
  note(senderId: string, chatId: string, atMs: number): boolean {
    const recent = (this.hits.get(senderId) ?? []).filter((h) => atMs - h.at < WINDOW_MS);
    recent.push({ chat: chatId, at: atMs });
    this.hits.set(senderId, recent);
    if (this.hits.size > 10_000) this.prune(atMs);
    return new Set(recent.map((h) => h.chat)).size >= BOT_PAUSE_CHATS;
  }

  private prune(nowMs: number): void {
    for (const [sender, list] of this.hits) {
      if (list.every((h) => nowMs - h.at >= WINDOW_MS)) this.hits.delete(sender);
    }
  }
}
