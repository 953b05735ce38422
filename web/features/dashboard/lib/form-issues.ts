// Problems with the ad form, from the shared schema on the client or from the server's 400
// (`error.details.issues`), turned into plain sentences keyed by the field they belong to.
import { putBotSchema } from '../../../../src/shared/bot-config-schema';
import { NUL_MESSAGE, nulPaths } from '../../../../src/shared/nul-text';
import type { ChatLine } from './chat-lines';

export type Issue = { path: readonly (string | number | symbol)[]; message: string };
/** Field key → its sentences. Keys: text, imageUrl, link, buttons, button-N-text, button-N-url, chats, form. */
export type FieldIssues = Record<string, string[]>;

/** What the server would refuse: the shared schema's issues and, as the server's edge checks first, any NUL. */
export function clientIssues(body: { post: unknown; chats: string[] }): Issue[] {
  const res = putBotSchema.safeParse(body);
  const nul = nulPaths(body).map((path) => ({ path, message: NUL_MESSAGE }));
  return [...nul, ...(res.success ? [] : res.error.issues)];
}

/** The issues a server error carries, or null when it carries none. */
export function serverIssues(details: unknown): Issue[] | null {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  return issues.filter((i): i is Issue => Array.isArray(i?.path) && typeof i?.message === 'string');
}

// Messages that read as the end of a sentence about the field ("is too long") get its name.
const PREDICATE = /^(is|has|must|uses|closes|leaves|needs|was)\b/;

function sentence(label: string, message: string): string {
  return PREDICATE.test(message) ? `${label} ${message}` : message.charAt(0).toUpperCase() + message.slice(1);
}

export function fieldIssues(issues: Issue[], sentLines: ChatLine[]): FieldIssues {
  const out: FieldIssues = {};
  const add = (key: string, text: string) => {
    const list = out[key] ?? [];
    if (!list.includes(text)) list.push(text);
    out[key] = list;
  };
  for (const { path, message } of issues) {
    const [root, field, index, part] = path;
    if (root === 'post' && (field === 'text' || field === 'imageUrl' || field === 'link')) {
      add(field, sentence(field === 'text' ? 'Message' : field === 'imageUrl' ? 'Image URL' : 'Channel post link', message));
    } else if (root === 'post' && field === 'buttons' && typeof index === 'number' && (part === 'text' || part === 'url')) {
      add(`button-${index}-${part}`, sentence(part === 'text' ? `Button ${index + 1}` : `Button ${index + 1} link`, message));
    } else if (root === 'post' && field === 'buttons') {
      add('buttons', sentence('Buttons', message));
    } else if (root === 'chats' && typeof field === 'number') {
      const line = sentLines[field]?.line;
      add('chats', `${line ? `Line ${line}` : `Chat ${field + 1}`}: ${message}`);
    } else if (root === 'chats') {
      add('chats', sentence('Target chats', message));
    } else {
      add('form', sentence('The ad', message));
    }
  }
  return out;
}
