// The fake Bot API's updates, as https://core.telegram.org/bots/api#getting-updates describes
// them: one queue per bot, read either by `getUpdates` (long polling; an offset confirms and
// drops every earlier update) or pushed to a webhook (`setWebhook`), never both at once.
import { fail } from './telegram-wire.js';

export type FakeUpdate = { update_id: number } & Record<string, unknown>;

type Webhook = { url: string; secretToken?: string; allowedUpdates?: string[]; lastErrorDate?: number; lastErrorMessage?: string };

type Waiter = { resolve: (updates: FakeUpdate[] | 'terminated') => void; limit: number };

type BotQueue = {
  updates: FakeUpdate[];
  nextUpdateId: number;
  /** Set by getUpdates or setWebhook; unset: every type but chat_member and the reactions. */
  allowedUpdates?: string[];
  webhook?: Webhook;
  waiter?: Waiter;
  pushing: boolean;
};

/** What Telegram sends when allowed_updates was never given. */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

export type UpdateQueuesOptions = {
  /** A webhook delivery that failed is tried again after this (Telegram: a while; tests: quickly). */
  webhookRetryMs?: number;
};

export class UpdateQueues {
  private readonly queues = new Map<string, BotQueue>();
  /** Tests point an https webhook URL at the app's real (http) address. */
  rewriteWebhookUrl: (url: string) => string = (url) => url;
  /** Every webhook POST the fake made, with the status it got. */
  readonly deliveries: { token: string; url: string; secretToken: string | undefined; updateId: number; status: number | 'error' }[] = [];
  private readonly webhookRetryMs: number;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor({ webhookRetryMs = 200 }: UpdateQueuesOptions = {}) {
    this.webhookRetryMs = webhookRetryMs;
  }

  private queue(token: string): BotQueue {
    let q = this.queues.get(token);
    if (!q) {
      q = { updates: [], nextUpdateId: 100_000 + Math.floor(Math.random() * 1000), pushing: false };
      this.queues.set(token, q);
    }
    return q;
  }

  /** Queues an update of `type` for the bot (dropped if its allowed_updates exclude it); returns it. */
  emit(token: string, type: string, payload: Record<string, unknown>): FakeUpdate | null {
    const q = this.queue(token);
    const allowed = q.allowedUpdates && q.allowedUpdates.length > 0 ? q.allowedUpdates.includes(type) : !NOT_BY_DEFAULT.has(type);
    if (!allowed) return null;
    const update: FakeUpdate = { update_id: q.nextUpdateId++, [type]: payload };
    q.updates.push(update);
    this.wake(token, q);
    return update;
  }

  pending(token: string): FakeUpdate[] {
    return [...this.queue(token).updates];
  }

  webhookOf(token: string): Webhook | undefined {
    return this.queue(token).webhook;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const q of this.queues.values()) q.waiter?.resolve([]);
  }

  // ---- methods -------------------------------------------------------------------

  /** getUpdates: answers at once when something is queued, else waits up to `timeout` seconds. */
  async getUpdates(token: string, p: Record<string, unknown>, onClientGone: (cb: () => void) => void): Promise<FakeUpdate[]> {
    const q = this.queue(token);
    if (q.webhook) throw fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = p.offset === undefined ? undefined : Number(p.offset);
    const limit = Math.min(100, Math.max(1, p.limit === undefined ? 100 : Number(p.limit)));
    const timeout = Math.max(0, p.timeout === undefined ? 0 : Number(p.timeout));
    const allowed = parseList(p.allowed_updates);
    if (allowed !== undefined) q.allowedUpdates = allowed;
    if (offset !== undefined && Number.isFinite(offset)) {
      if (offset < 0) q.updates = q.updates.slice(offset);
      else q.updates = q.updates.filter((u) => u.update_id >= offset);
    }
    if (q.updates.length > 0 || timeout === 0) return q.updates.slice(0, limit);
    // One long poll per bot: a second one ends the first with 409, as Telegram does.
    q.waiter?.resolve('terminated');
    const timers = this.timers;
    const answer = await new Promise<FakeUpdate[] | 'terminated'>((resolve) => {
      const timer = setTimeout(() => done([]), timeout * 1000);
      this.timers.add(timer);
      const waiter: Waiter = { resolve: (v) => done(v), limit };
      function done(this: void, v: FakeUpdate[] | 'terminated') {
        clearTimeout(timer);
        timers.delete(timer);
        if (q.waiter === waiter) q.waiter = undefined;
        resolve(v);
      }
      q.waiter = waiter;
      onClientGone(() => done([]));
    });
    if (answer === 'terminated') throw fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');
    return answer;
  }

  setWebhook(token: string, p: Record<string, unknown>): true {
    const q = this.queue(token);
    const url = typeof p.url === 'string' ? p.url : '';
    if (url === '') return this.deleteWebhook(token, p);
    if (!/^https:\/\//i.test(url)) throw fail(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const secretToken = p.secret_token === undefined ? undefined : String(p.secret_token);
    if (secretToken !== undefined && !SECRET_TOKEN.test(secretToken)) throw fail(400, 'Bad Request: secret token contains unallowed characters');
    const allowed = parseList(p.allowed_updates);
    if (allowed !== undefined) q.allowedUpdates = allowed;
    if (isTrue(p.drop_pending_updates)) q.updates = [];
    q.webhook = { url, ...(secretToken ? { secretToken } : {}), ...(q.allowedUpdates ? { allowedUpdates: q.allowedUpdates } : {}) };
    // A poll waiting now ends: the bot is read by its webhook from here on.
    q.waiter?.resolve('terminated');
    this.wake(token, q);
    return true;
  }

  deleteWebhook(token: string, p: Record<string, unknown>): true {
    const q = this.queue(token);
    q.webhook = undefined;
    if (isTrue(p.drop_pending_updates)) q.updates = [];
    return true;
  }

  getWebhookInfo(token: string): Record<string, unknown> {
    const q = this.queue(token);
    const w = q.webhook;
    return {
      url: w?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: q.updates.length,
      ...(w?.lastErrorDate ? { last_error_date: w.lastErrorDate, last_error_message: w.lastErrorMessage } : {}),
      ...(w && q.allowedUpdates ? { allowed_updates: q.allowedUpdates } : {}),
    };
  }

  // ---- delivery ------------------------------------------------------------------

  private wake(token: string, q: BotQueue): void {
    if (q.webhook) {
      void this.push(token, q);
      return;
    }
    const w = q.waiter;
    if (w && q.updates.length > 0) w.resolve(q.updates.slice(0, w.limit));
  }

  /** POSTs the queued updates one by one, in order; a non-2xx answer is retried after a pause. */
  private async push(token: string, q: BotQueue): Promise<void> {
    if (q.pushing) return;
    q.pushing = true;
    try {
      while (!this.closed && q.webhook && q.updates.length > 0) {
        const webhook = q.webhook;
        const update = q.updates[0]!;
        let status: number | 'error';
        try {
          const res = await fetch(this.rewriteWebhookUrl(webhook.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(webhook.secretToken ? { 'X-Telegram-Bot-Api-Secret-Token': webhook.secretToken } : {}) },
            body: JSON.stringify(update),
          });
          await res.arrayBuffer();
          status = res.status;
        } catch {
          status = 'error';
        }
        this.deliveries.push({ token, url: webhook.url, secretToken: webhook.secretToken, updateId: update.update_id, status });
        if (typeof status === 'number' && status >= 200 && status < 300) {
          if (q.updates[0] === update) q.updates.shift();
          continue;
        }
        webhook.lastErrorDate = Math.floor(Date.now() / 1000);
        webhook.lastErrorMessage = status === 'error' ? 'Connection refused' : `Wrong response from the webhook: ${status}`;
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            this.timers.delete(t);
            resolve();
          }, this.webhookRetryMs);
          this.timers.add(t);
        });
      }
    } finally {
      q.pushing = false;
    }
  }
}

function parseList(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const list = typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  if (!Array.isArray(list)) throw fail(400, "Bad Request: can't parse allowed updates");
  return list.map(String);
}

const isTrue = (v: unknown) => v === true || v === 'true';
