// The JSON of GET /api/user/bot, written key by key: the dashboard polls it, and zod's walk of
// the whole view before JSON.stringify was a tenth of the request's CPU (issue 12). The output
// is byte for byte what the zod serializer writes (botViewSchema's keys, in its order, and no
// other: bot-view-json.test.ts compares the two), and botViewSchema stays the route's contract
// and its OpenAPI document. What the columns' types do not already guarantee is checked here:
// the enums, the integers and the stored ad (free-form jsonb, parsed by its zod schema); a view
// that fails a check goes to the zod serializer, which answers it as before (a 500 with the cause).
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { type BotView, botViewSchema, storedPostSchema } from '../../shared/api/customer.js';

const botStatuses = new Set(botViewSchema.shape.status.options);
const senderStates = new Set(botViewSchema.shape.senders.element.shape.state.options);
const chatStatuses = new Set(botViewSchema.shape.chats.element.shape.status.options);

const s = JSON.stringify;
const ns = (v: string | null) => (v === null ? 'null' : s(v));
const str = (v: unknown) => typeof v === 'string';
const nstr = (v: unknown) => v === null || typeof v === 'string';
// Date#toISOString() for the years 0000–9999; other spellings are the zod check's to judge.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const iso = (v: unknown) => typeof v === 'string' && ISO.test(v);
const niso = (v: unknown) => v === null || iso(v);

/** The view's JSON, or null when it needs the zod serializer's verdict. */
export function botViewJson(v: BotView): string | null {
  if (
    !str(v.id) ||
    !botStatuses.has(v.status) ||
    !str(v.planSlug) ||
    !str(v.planName) ||
    !Number.isInteger(v.postingIntervalSeconds) ||
    !Number.isInteger(v.senderCount) ||
    !iso(v.expiresAt) ||
    !nstr(v.adError)
  )
    return null;
  let post = 'null';
  if (v.post !== null) {
    const parsed = storedPostSchema.safeParse(v.post);
    if (!parsed.success) return null;
    post = s(parsed.data);
  }
  let out = `{"id":${s(v.id)},"status":"${v.status}","planSlug":${s(v.planSlug)},"planName":${s(v.planName)},"postingIntervalSeconds":${v.postingIntervalSeconds},"senderCount":${v.senderCount},"expiresAt":"${v.expiresAt}","senders":[`;
  for (let i = 0; i < v.senders.length; i++) {
    const x = v.senders[i]!;
    if (!str(x.id) || !str(x.username) || !senderStates.has(x.state) || !str(x.addToGroupUrl) || !str(x.addToChannelUrl)) return null;
    out += `${i ? ',' : ''}{"id":${s(x.id)},"username":${s(x.username)},"state":"${x.state}","addToGroupUrl":${s(x.addToGroupUrl)},"addToChannelUrl":${s(x.addToChannelUrl)}}`;
  }
  out += `],"post":${post},"adError":${ns(v.adError)},"chats":[`;
  for (let i = 0; i < v.chats.length; i++) {
    const c = v.chats[i]!;
    if (
      !str(c.ref) ||
      !nstr(c.chatId) ||
      !nstr(c.title) ||
      !chatStatuses.has(c.status) ||
      !nstr(c.senderUsername) ||
      !niso(c.lastPostAt) ||
      !niso(c.nextPostAt) ||
      !nstr(c.lastError) ||
      !nstr(c.lastPostUrl) ||
      typeof c.lastPostUnconfirmed !== 'boolean'
    )
      return null;
    out +=
      `${i ? ',' : ''}{"ref":${s(c.ref)},"chatId":${ns(c.chatId)},"title":${ns(c.title)},"status":"${c.status}","senderUsername":${ns(c.senderUsername)},` +
      `"lastPostAt":${ns(c.lastPostAt)},"nextPostAt":${ns(c.nextPostAt)},"lastError":${ns(c.lastError)},"lastPostUrl":${ns(c.lastPostUrl)},"lastPostUnconfirmed":${c.lastPostUnconfirmed}}`;
  }
  return `${out}]}`;
}

/** The route's serializer compiler: botViewJson for its 200, the zod serializer for the rest. */
export const botViewSerializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  const zod = serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
  if (route.httpStatus !== '200') return zod;
  return (data: unknown) => botViewJson(data as BotView) ?? zod(data);
};
