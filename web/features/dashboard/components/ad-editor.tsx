import { type FormEvent, useRef, useState } from 'react';
import { ApiError } from '../../../lib/api-client';
import type { Bot, Post } from '../api/get-bot';
import { useSaveBot } from '../api/save-bot';
import { TelegramPreview } from './telegram-preview';

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

type ButtonRow = { text: string; url: string };

/** Telegram counts the visible characters, not the HTML tags around them. */
function visibleLength(html: string): number {
  return (new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body.textContent ?? '').length;
}

function parseChats(text: string): string[] {
  return [...new Set(text.split(/[\n,]+/).map((l) => l.trim()).filter(Boolean))];
}

export function AdEditor({ bot }: { bot: Bot }) {
  const save = useSaveBot();
  const [type, setType] = useState<Post['type']>(bot.post?.type ?? 'text');
  const [text, setText] = useState(bot.post?.type === 'text' ? bot.post.text : '');
  const [imageUrl, setImageUrl] = useState(bot.post?.type === 'text' ? (bot.post.imageUrl ?? '') : '');
  const [buttons, setButtons] = useState<ButtonRow[]>(bot.post?.type === 'text' ? (bot.post.buttons ?? []) : []);
  const [link, setLink] = useState(bot.post?.type === 'link' ? bot.post.link : '');
  const [chatsText, setChatsText] = useState(bot.chats.map((c) => c.ref).join('\n'));
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);

  const limit = imageUrl.trim() ? CAPTION_LIMIT : TEXT_LIMIT;
  const length = visibleLength(text);
  const tooLong = type === 'text' && length > limit;
  const chats = parseChats(chatsText);

  const post: Post =
    type === 'text'
      ? {
          type: 'text',
          text,
          ...(imageUrl.trim() ? { imageUrl: imageUrl.trim() } : {}),
          ...(buttons.length ? { buttons: buttons.map((b) => ({ text: b.text.trim(), url: b.url.trim() })) } : {}),
        }
      : { type: 'link', link: link.trim() };

  function wrap(before: string, after: string, placeholder: string) {
    const el = textRef.current;
    if (!el) return;
    const { selectionStart: s, selectionEnd: e } = el;
    const selected = text.slice(s, e) || placeholder;
    setText(text.slice(0, s) + before + selected + after + text.slice(e));
    setSavedAt(null);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(s + before.length, s + before.length + selected.length);
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const saved = await save.mutateAsync({ post, chats });
      setChatsText(saved.chats.map((c) => c.ref).join('\n'));
      setSavedAt(Date.now());
    } catch {
      // rendered below
    }
  }

  const changed = () => setSavedAt(null);
  const senderName = bot.senders.find((s) => s.username)?.username;

  return (
    <form className="card ad-editor" onSubmit={submit} aria-labelledby="ad-heading" data-testid="ad-editor" noValidate>
      <div className="section-head">
        <h2 id="ad-heading">Your ad</h2>
        <div className="segmented segmented-sm" role="radiogroup" aria-label="Kind of ad">
          {(['text', 'link'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="radio"
              aria-checked={type === t}
              className={type === t ? 'active' : ''}
              onClick={() => {
                setType(t);
                changed();
              }}
            >
              {t === 'text' ? 'Message' : 'Channel post'}
            </button>
          ))}
        </div>
      </div>

      <div className="editor-grid">
        <div className="editor-fields">
          {type === 'text' ? (
            <>
              <div className="field">
                <label htmlFor="ad-text">Message</label>
                <div className="toolbar" role="toolbar" aria-label="Formatting">
                  <button type="button" className="tool" onClick={() => wrap('<b>', '</b>', 'bold text')} aria-label="Bold">
                    <strong>B</strong>
                  </button>
                  <button type="button" className="tool" onClick={() => wrap('<i>', '</i>', 'italic text')} aria-label="Italic">
                    <em>I</em>
                  </button>
                  <button
                    type="button"
                    className="tool"
                    onClick={() => wrap('<a href="https://">', '</a>', 'link text')}
                    aria-label="Link"
                  >
                    Link
                  </button>
                  <span className={`char-count${tooLong ? ' over' : ''}`} data-testid="char-count" aria-live="polite">
                    {length} / {limit}
                  </span>
                </div>
                <textarea
                  id="ad-text"
                  ref={textRef}
                  rows={8}
                  value={text}
                  aria-invalid={tooLong || undefined}
                  aria-describedby="ad-text-hint"
                  onChange={(e) => {
                    setText(e.target.value);
                    changed();
                  }}
                  placeholder="New drop today — 20% off for members. Tap below to shop."
                />
                <span id="ad-text-hint" className={tooLong ? 'field-error' : 'field-hint'}>
                  {tooLong
                    ? `Too long by ${length - limit} characters${imageUrl.trim() ? ' — a message with an image allows 1024' : ''}.`
                    : 'Telegram HTML: <b>, <i>, <u>, <s>, <a href="…">, <code>.'}
                </span>
              </div>
              <div className="field">
                <label htmlFor="ad-image">
                  Image URL <span className="muted">(optional)</span>
                </label>
                <input
                  id="ad-image"
                  type="url"
                  inputMode="url"
                  value={imageUrl}
                  placeholder="https://example.com/banner.jpg"
                  onChange={(e) => {
                    setImageUrl(e.target.value);
                    changed();
                  }}
                />
              </div>
              <fieldset className="buttons-editor">
                <legend>
                  Buttons <span className="muted">(optional)</span>
                </legend>
                {buttons.map((b, i) => (
                  <div key={i} className="button-row">
                    <label className="sr-only" htmlFor={`btn-text-${i}`}>
                      Button {i + 1} text
                    </label>
                    <input
                      id={`btn-text-${i}`}
                      value={b.text}
                      placeholder="Shop now"
                      onChange={(e) => {
                        setButtons(buttons.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)));
                        changed();
                      }}
                    />
                    <label className="sr-only" htmlFor={`btn-url-${i}`}>
                      Button {i + 1} link
                    </label>
                    <input
                      id={`btn-url-${i}`}
                      type="url"
                      value={b.url}
                      placeholder="https://…"
                      onChange={(e) => {
                        setButtons(buttons.map((x, j) => (j === i ? { ...x, url: e.target.value } : x)));
                        changed();
                      }}
                    />
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      aria-label={`Remove button ${i + 1}`}
                      onClick={() => {
                        setButtons(buttons.filter((_, j) => j !== i));
                        changed();
                      }}
                    >
                      ✕
                    </button>
                  </div>
                ))}
                {buttons.length < 8 && (
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    onClick={() => {
                      setButtons([...buttons, { text: '', url: '' }]);
                      changed();
                    }}
                  >
                    + Add a button
                  </button>
                )}
              </fieldset>
            </>
          ) : (
            <div className="field">
              <label htmlFor="ad-link">Channel post link</label>
              <input
                id="ad-link"
                type="url"
                inputMode="url"
                value={link}
                placeholder="https://t.me/yourchannel/123"
                aria-describedby="ad-link-hint"
                onChange={(e) => {
                  setLink(e.target.value);
                  changed();
                }}
              />
              <span id="ad-link-hint" className="field-hint">
                A post in a public channel, like https://t.me/yourchannel/123. Your bots copy it as it is.
              </span>
            </div>
          )}

          <div className="field">
            <label htmlFor="ad-chats">Target chats</label>
            <textarea
              id="ad-chats"
              rows={5}
              className="mono"
              value={chatsText}
              aria-describedby="ad-chats-hint"
              placeholder={'@yourgroup\nhttps://t.me/yourchannel\n-1001234567890'}
              onChange={(e) => {
                setChatsText(e.target.value);
                changed();
              }}
            />
            <span id="ad-chats-hint" className="field-hint">
              One per line: @username, a t.me link, or a numeric chat id. {chats.length}{' '}
              {chats.length === 1 ? 'chat' : 'chats'}.
            </span>
          </div>
        </div>

        <div className="editor-preview">
          <p className="preview-label">Preview</p>
          <TelegramPreview post={post} botName={senderName ? `@${senderName}` : 'Your bot'} />
        </div>
      </div>

      {save.isError && (
        <p className="notice notice-error" role="alert" data-testid="save-error">
          {save.error instanceof ApiError ? save.error.message : 'Could not save. Try again.'}
        </p>
      )}
      <div className="form-actions">
        <span className="small muted" role="status" data-testid="save-status">
          {savedAt ? 'Saved. Your bots use this from their next post.' : ''}
        </span>
        <button type="submit" className="btn btn-primary" disabled={save.isPending || tooLong}>
          {save.isPending ? 'Saving…' : 'Save ad and chats'}
        </button>
      </div>
    </form>
  );
}
