// The target chats box: one chat per line, each line judged as the server will judge it.
import { MAX_CHATS } from '../../../../src/shared/bot-config-schema';
import type { ChatLineError } from '../lib/chat-lines';
import { FieldErrors } from './field-errors';

export function ChatsField({
  value,
  onValue,
  count,
  lineErrors,
  messages,
}: {
  value: string;
  onValue: (v: string) => void;
  count: number;
  lineErrors: ChatLineError[];
  messages: string[] | undefined;
}) {
  const overLimit = count > MAX_CHATS;
  return (
    <div className="field">
      <label htmlFor="ad-chats">Target chats</label>
      <textarea
        id="ad-chats"
        rows={5}
        className="mono"
        value={value}
        aria-invalid={lineErrors.length || overLimit || messages ? true : undefined}
        aria-describedby="ad-chats-hint ad-chats-errors ad-chats-issues"
        placeholder={'@yourgroup\nhttps://t.me/yourchannel\n-1001234567890'}
        onChange={(e) => onValue(e.target.value)}
      />
      <span id="ad-chats-hint" className="field-hint">
        One per line: @username, a t.me link, or a numeric chat id.{' '}
        <span className={overLimit ? 'field-error' : undefined} data-testid="chat-count">
          {count} of {MAX_CHATS} chats{overLimit ? ` — remove ${count - MAX_CHATS} to save` : ''}.
        </span>
      </span>
      {lineErrors.length > 0 && (
        <ul id="ad-chats-errors" className="field-error chat-errors" data-testid="chat-errors" aria-live="polite">
          {lineErrors.map((x) => (
            <li key={`${x.line}-${x.message}`}>
              Line {x.line}: {x.message}
            </li>
          ))}
        </ul>
      )}
      {lineErrors.length === 0 && <FieldErrors id="ad-chats-issues" name="chats" messages={messages} />}
    </div>
  );
}
