// A fast fake Bot API for bench/engine.ts, run in its own process so its CPU is not the
// worker's: every bot is valid, every chat is a supergroup the bot is a member of, and every
// send succeeds. It answers the calls the engine makes with the shapes of
// https://core.telegram.org/bots/api, keeps connections alive, logs nothing per call, and
// records (chat, time, message_id) of each send so the bench can judge duplicates and
// too-close posts from Telegram's side. test/fakes/telegram.ts is the protocol-accurate fake
// for tests; this one trades its rules (membership, rights, 429s) for speed.
// Started as `node --import tsx bench/engine/fake-bot-api.ts`; prints `ready <port>` on stdout.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const calls = new Map<string, number>();
const nextMessageId = new Map<number, number>();
// Parallel arrays: ~400k sends in the largest run stay a few MB.
const sendChat: number[] = [];
const sendAt: number[] = [];
const sendMessageId: number[] = [];
const heldPolls = new Set<{ timer: NodeJS.Timeout; res: ServerResponse }>();

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const ok = (res: ServerResponse, result: unknown) => answer(res, 200, { ok: true, result });

function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
      const raw = Buffer.concat(chunks).toString('utf8');
      if (!raw) return resolve(params);
      const type = req.headers['content-type'] ?? '';
      try {
        if (type.includes('application/json')) Object.assign(params, JSON.parse(raw));
        else Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
        resolve(params);
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** A chat id as Telegram would echo it; `@name` refs get a stable negative id. */
function chatIdOf(ref: unknown): number {
  if (typeof ref === 'number') return ref;
  const s = String(ref ?? '');
  if (/^-?\d+$/.test(s)) return Number(s);
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_000;
  return -1_000_000_000_000 - h;
}

function recordSend(chatId: number): { message_id: number; date: number } {
  const id = (nextMessageId.get(chatId) ?? 0) + 1;
  nextMessageId.set(chatId, id);
  const now = Date.now();
  sendChat.push(chatId);
  sendAt.push(now);
  sendMessageId.push(id);
  return { message_id: id, date: Math.floor(now / 1000) };
}

function holdPoll(res: ServerResponse, params: Record<string, unknown>): void {
  const seconds = Math.min(Math.max(Number(params.timeout ?? 0) || 0, 0), 50);
  if (seconds === 0) {
    ok(res, []);
    return;
  }
  const entry = {
    res,
    timer: setTimeout(() => {
      heldPolls.delete(entry);
      if (!res.destroyed) ok(res, []);
    }, seconds * 1000),
  };
  heldPolls.add(entry);
  res.on('close', () => {
    clearTimeout(entry.timer);
    heldPolls.delete(entry);
  });
}

/** The method's result, or undefined for a method this fake does not know. */
function dispatch(token: string, method: string, p: Record<string, unknown>): unknown {
  const botId = Number(token.split(':')[0]);
  const chat = { id: chatIdOf(p.chat_id), type: 'supergroup', title: `Bench chat ${chatIdOf(p.chat_id)}` };
  switch (method) {
    case 'getMe':
      return { id: botId, is_bot: true, first_name: `Bench ${botId}`, username: `hqbench_${botId}_bot`, can_join_groups: true };
    case 'getChat':
      return { ...chat, permissions: { can_send_messages: true }, accent_color_id: 0 };
    case 'getChatMember':
      return { status: 'member', user: { id: Number(p.user_id), is_bot: true, first_name: `Bench ${p.user_id}` } };
    case 'sendMessage':
      return { ...recordSend(chat.id), chat, text: String(p.text ?? '') };
    case 'sendPhoto':
      return { ...recordSend(chat.id), chat, photo: [], caption: String(p.caption ?? '') };
    case 'copyMessage':
      return { message_id: recordSend(chat.id).message_id };
    case 'setWebhook':
    case 'deleteWebhook':
      return true;
    case 'getWebhookInfo':
      return { url: '', has_custom_certificate: false, pending_update_count: 0 };
    default:
      return undefined;
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (url.pathname === '/__stats') return answer(res, 200, { calls: Object.fromEntries(calls), sends: sendChat.length });
  if (url.pathname === '/__sends') {
    const from = Number(url.searchParams.get('from') ?? 0);
    return answer(res, 200, { chat: sendChat.slice(from), at: sendAt.slice(from), messageId: sendMessageId.slice(from) });
  }
  const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
  if (!m) return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  const method = m[2]!;
  calls.set(method, (calls.get(method) ?? 0) + 1);
  let params: Record<string, unknown>;
  try {
    params = await readParams(req, url);
  } catch (err) {
    return answer(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${(err as Error).message}` });
  }
  if (method === 'getUpdates') {
    holdPoll(res, params);
    return;
  }
  const result = dispatch(m[1]!, method, params);
  if (result === undefined) answer(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
  else ok(res, result);
});
// Workers keep their sockets open between calls; long polls hold a request for up to 50 s.
server.keepAliveTimeout = 75_000;
server.headersTimeout = 80_000;
server.requestTimeout = 0;
server.maxRequestsPerSocket = 0;

server.listen(Number(process.env.FAKE_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`ready ${typeof address === 'object' && address ? address.port : 0}\n`);
});

process.on('SIGTERM', () => {
  for (const p of heldPolls) {
    clearTimeout(p.timer);
    if (!p.res.destroyed) ok(p.res, []);
  }
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
