// The Bot API's wire shapes for the fake Telegram server: its types, failures, and how
// requests are read and answered.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type FakeBot = { id: number; username: string; firstName: string };

export type MemberStatus = 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';

export type FakeChatMember = {
  status: MemberStatus;
  /** Channels need an administrator with this right; groups only need membership. */
  canPostMessages?: boolean;
};

export type FakeChat = {
  id: number;
  type: 'group' | 'supergroup' | 'channel';
  title: string;
  username?: string;
  /** By bot (user) id. */
  members: Map<number, FakeChatMember>;
  /** Set when the group became a supergroup: every call on the old id fails with 400. */
  migratedTo?: number;
  nextMessageId: number;
  /** Slow mode: seconds an unprivileged member (a bot too) waits between its messages (getChat's slow_mode_delay). */
  slowModeDelay?: number;
};

export type SentMessage = {
  messageId: number;
  /** When the fake took the message (after any slow-down), in ms of the fake's clock: Telegram's own posting moment. */
  atMs: number;
  chatId: number;
  botId: number;
  method: 'sendMessage' | 'sendPhoto' | 'copyMessage';
  text?: string;
  photo?: string;
  caption?: string;
  parseMode?: string;
  replyMarkup?: unknown;
  fromChatId?: number | string;
  fromMessageId?: number;
  date: number;
};

export type ApiCall = {
  token: string;
  method: string;
  params: Record<string, unknown>;
  /** How the fake answered, when it answered with an error. */
  failure?: Failure;
};

export type Failure = { errorCode: number; description: string; parameters?: Record<string, unknown> };

export class ApiFailure extends Error {
  constructor(readonly failure: Failure) {
    super(failure.description);
  }
}

export const fail = (errorCode: number, description: string, parameters?: Record<string, unknown>) =>
  new ApiFailure({ errorCode, description, ...(parameters ? { parameters } : {}) });

export function chatObject(chat: FakeChat) {
  return {
    id: chat.id,
    type: chat.type,
    title: chat.title,
    ...(chat.username ? { username: chat.username } : {}),
  };
}

export function optional(p: Record<string, unknown>): Pick<SentMessage, 'parseMode' | 'replyMarkup'> {
  return {
    ...(typeof p.parse_mode === 'string' ? { parseMode: p.parse_mode } : {}),
    ...(p.reply_markup !== undefined ? { replyMarkup: typeof p.reply_markup === 'string' ? JSON.parse(p.reply_markup) : p.reply_markup } : {}),
  };
}

export function requireString(v: unknown, message: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw fail(400, `Bad Request: ${message}`);
  return v;
}

export async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  throw new Error(`unsupported content type ${type || '(none)'}`);
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
