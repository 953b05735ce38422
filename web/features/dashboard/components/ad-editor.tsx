// The ad and its target chats, judged as they are typed by the same shared schema the save
// is judged by (src/shared/bot-config-schema.ts); the server's 400 issues land on the same fields.
import { type FormEvent, useState } from 'react';
import { adTextLength, type BotPostBody } from '../../../../src/shared/bot-config-schema';
import { ApiError } from '../../../lib/api-client';
import type { Bot, Post } from '../api/get-bot';
import { useSaveBot } from '../api/save-bot';
import { chatLineErrors, splitChatLines } from '../lib/chat-lines';
import { clientIssues, fieldIssues, serverIssues } from '../lib/form-issues';
import { type ButtonRow, ButtonsEditor } from './buttons-editor';
import { ChatsField } from './chats-field';
import { FieldErrors } from './field-errors';
import { MessageField } from './message-field';
import { TelegramPreview } from './telegram-preview';

export function AdEditor({ bot }: { bot: Bot }) {
  const save = useSaveBot();
  const [type, setType] = useState<Post['type']>(bot.post?.type ?? 'text');
  const [text, setText] = useState(bot.post?.type === 'text' ? bot.post.text : '');
  const [imageUrl, setImageUrl] = useState(bot.post?.type === 'text' ? (bot.post.imageUrl ?? '') : '');
  const [buttons, setButtons] = useState<ButtonRow[]>(bot.post?.type === 'text' ? (bot.post.buttons ?? []) : []);
  const [link, setLink] = useState(bot.post?.type === 'link' ? bot.post.link : '');
  const [chatsText, setChatsText] = useState(bot.chats.map((c) => c.ref).join('\n'));
  const [savedAt, setSavedAt] = useState<number | null>(null);

  const { length, limit } = adTextLength(text, !!imageUrl.trim());
  const tooLong = type === 'text' && length > limit;
  const chatLines = splitChatLines(chatsText);
  const chats = chatLines.map((l) => l.value);
  const chatErrors = chatLineErrors(chatLines);
  const [sentLines, setSentLines] = useState(chatLines);
  // Problems show once Save was tried, all at once and next to their fields, then follow each edit.
  const [tried, setTried] = useState(false);

  const post: BotPostBody =
    type === 'text'
      ? {
          type: 'text',
          text,
          ...(imageUrl.trim() ? { imageUrl: imageUrl.trim() } : {}),
          ...(buttons.length ? { buttons: buttons.map((b) => ({ text: b.text.trim(), url: b.url.trim() })) } : {}),
        }
      : { type: 'link', link: link.trim() };

  const local = clientIssues({ post, chats });
  const fromServer = save.error instanceof ApiError ? serverIssues(save.error.details) : null;
  const issues = fieldIssues(fromServer ?? (tried ? local : []), fromServer ? sentLines : chatLines);
  const problems = Object.values(issues).flat();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (chatErrors.length) return;
    setTried(true);
    if (local.length) return;
    setSentLines(chatLines);
    try {
      const saved = await save.mutateAsync({ post, chats });
      setChatsText(saved.chats.map((c) => c.ref).join('\n'));
      setSavedAt(Date.now());
    } catch {
      // rendered below
    }
  }

  /** Every edit: the "Saved" note and a save error describe the old input, so both go. */
  function edited<T>(set: (v: T) => void) {
    return (v: T) => {
      set(v);
      setSavedAt(null);
      if (save.isError) save.reset();
    };
  }
  const senderName = bot.senders.find((s) => s.username)?.username;

  return (
    <form className="card ad-editor" onSubmit={submit} aria-labelledby="ad-heading" data-testid="ad-editor" noValidate>
      <div className="section-head">
        <h2 id="ad-heading">Your ad</h2>
        <div className="segmented segmented-sm" role="radiogroup" aria-label="Kind of ad">
          {(['text', 'link'] as const).map((t) => (
            // biome-ignore lint/a11y/useSemanticElements: a segmented control; buttons keep it one tab stop per choice
            <button key={t} type="button" role="radio" aria-checked={type === t} className={type === t ? 'active' : ''} onClick={() => edited(setType)(t)}>
              {t === 'text' ? 'Message' : 'Channel post'}
            </button>
          ))}
        </div>
      </div>

      <div className="editor-grid">
        <div className="editor-fields">
          {type === 'text' ? (
            <>
              <MessageField text={text} onText={edited(setText)} length={length} limit={limit} hasImage={!!imageUrl.trim()} messages={issues.text} />
              <UrlField
                id="ad-image"
                label="Image URL"
                optional
                value={imageUrl}
                onValue={edited(setImageUrl)}
                placeholder="https://example.com/banner.jpg"
                name="imageUrl"
                messages={issues.imageUrl}
              />
              <ButtonsEditor buttons={buttons} onButtons={edited(setButtons)} issues={issues} />
            </>
          ) : (
            <UrlField
              id="ad-link"
              label="Channel post link"
              value={link}
              onValue={edited(setLink)}
              placeholder="https://t.me/yourchannel/123"
              hint="A post in a public channel, like https://t.me/yourchannel/123. Your bots copy it as it is."
              name="link"
              messages={issues.link}
            />
          )}
          <ChatsField value={chatsText} onValue={edited(setChatsText)} count={chats.length} lineErrors={chatErrors} messages={issues.chats} />
        </div>

        <div className="editor-preview">
          <p className="preview-label">Preview</p>
          <TelegramPreview post={post} botName={senderName ? `@${senderName}` : 'Your bot'} />
        </div>
      </div>

      {problems.length > 0 ? (
        <div className="notice notice-error" role="alert" data-testid="save-error">
          <p>
            {problems.length === 1 ? 'Fix this before saving:' : `Fix these ${problems.length} problems before saving:`} {problems.join(' · ')}
          </p>
        </div>
      ) : (
        save.isError && (
          <p className="notice notice-error" role="alert" data-testid="save-error">
            {save.error instanceof ApiError ? save.error.message : 'Could not save. Try again.'}
          </p>
        )
      )}
      <div className="form-actions">
        <span className="small muted" role="status" data-testid="save-status">
          {savedAt ? 'Saved. Your bots use this from their next post.' : ''}
        </span>
        <button type="submit" className="btn btn-primary" disabled={save.isPending || tooLong || chatErrors.length > 0}>
          {save.isPending ? 'Saving…' : 'Save ad and chats'}
        </button>
      </div>
    </form>
  );
}

/** A single-line address field with its hint and problems. */
function UrlField(props: {
  id: string;
  label: string;
  optional?: boolean;
  value: string;
  onValue: (v: string) => void;
  placeholder: string;
  hint?: string;
  name: string;
  messages: string[] | undefined;
}) {
  const { id, label, value, onValue, placeholder, hint, name, messages } = props;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {props.optional && (
          <>
            {' '}
            <span className="muted">(optional)</span>
          </>
        )}
      </label>
      <input
        id={id}
        type="url"
        inputMode="url"
        value={value}
        placeholder={placeholder}
        aria-invalid={messages ? true : undefined}
        aria-describedby={hint ? `${id}-hint ${id}-errors` : `${id}-errors`}
        onChange={(e) => onValue(e.target.value)}
      />
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      <FieldErrors id={`${id}-errors`} name={name} messages={messages} />
    </div>
  );
}
