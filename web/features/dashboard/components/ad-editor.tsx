import { type FormEvent, useLayoutEffect, useRef, useState } from 'react';
import { MAX_CHATS } from '../../../../src/shared/bot-config-schema';
import { ApiError } from '../../../lib/api-client';
import type { Bot, Post } from '../api/get-bot';
import { useSaveBot } from '../api/save-bot';
import { chatLineErrors, explainSaveError, splitChatLines } from '../lib/chat-lines';
import { clientIssues, fieldIssues, serverIssues } from '../lib/form-issues';
import { adTextLength } from '../lib/telegram-text';
import { FieldErrors } from './field-errors';
import { TelegramPreview } from './telegram-preview';

type ButtonRow = { text: string; url: string };

/** Why Telegram would refuse this link target, or null — the same rule the server applies. */
export function linkProblem(raw: string): string | null {
  const url = raw.trim();
  if (!url) return 'Enter the address the link opens.';
  if (/^tg:\/\/[a-z]/i.test(url)) return null;
  if (!/^https?:\/\//i.test(url)) return 'Links must start with https://, http:// or tg://';
  try {
    const host = new URL(url).hostname;
    if ((host.includes('.') && !/^\.|\.$|\.\./.test(host)) || host === 'localhost') return null;
  } catch {
    // falls through
  }
  return 'That is not a full web address — e.g. https://example.com';
}

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

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
  // Where the selection goes once the wrapped text is on screen. Restored in the same commit:
  // a frame scheduled for later could land after the next edit and move that selection.
  const pendingSelection = useRef<{ s: number; e: number } | null>(null);
  const [linkForm, setLinkForm] = useState<{ s: number; e: number; url: string; tried: boolean } | null>(null);

  const { length, limit } = adTextLength(text, !!imageUrl.trim());
  const tooLong = type === 'text' && length > limit;
  const chatLines = splitChatLines(chatsText);
  const chats = chatLines.map((l) => l.value);
  const chatErrors = chatLineErrors(chatLines);
  const [sentLines, setSentLines] = useState(chatLines);
  // Problems show once Save was tried, all at once and next to their fields, then follow each edit.
  const [tried, setTried] = useState(false);

  const post: Post =
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
  const overLimit = chats.length > MAX_CHATS;
  const problems = Object.values(issues).flat();

  function wrap(before: string, after: string, placeholder: string, range?: { s: number; e: number }) {
    const el = textRef.current;
    if (!el) return;
    const { s, e } = range ?? { s: el.selectionStart, e: el.selectionEnd };
    const selected = text.slice(s, e) || placeholder;
    setText(text.slice(0, s) + before + selected + after + text.slice(e));
    changed();
    pendingSelection.current = { s: s + before.length, e: s + before.length + selected.length };
  }

  useLayoutEffect(() => {
    const sel = pendingSelection.current;
    const el = textRef.current;
    if (!sel || !el) return;
    pendingSelection.current = null;
    el.focus();
    el.setSelectionRange(sel.s, sel.e);
  });

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

  function changed() {
    setSavedAt(null);
    // A save error describes the old input; keeping it after an edit reads as if the fix failed.
    if (save.isError) save.reset();
  }

  function openLinkForm() {
    const el = textRef.current;
    setLinkForm({ s: el?.selectionStart ?? text.length, e: el?.selectionEnd ?? text.length, url: 'https://', tried: false });
  }

  function insertLink() {
    if (!linkForm) return;
    if (linkProblem(linkForm.url)) {
      setLinkForm({ ...linkForm, tried: true });
      return;
    }
    wrap(`<a href="${attr(linkForm.url.trim())}">`, '</a>', 'link text', linkForm);
    setLinkForm(null);
  }
  const linkError = linkForm && (linkForm.tried || linkForm.url.length > 8) ? linkProblem(linkForm.url) : null;
  const senderName = bot.senders.find((s) => s.username)?.username;

  return (
    <form className="card ad-editor" onSubmit={submit} aria-labelledby="ad-heading" data-testid="ad-editor" noValidate>
      <div className="section-head">
        <h2 id="ad-heading">Your ad</h2>
        <div className="segmented segmented-sm" role="radiogroup" aria-label="Kind of ad">
          {(['text', 'link'] as const).map((t) => (
            // biome-ignore lint/a11y/useSemanticElements: a segmented control; buttons keep it one tab stop per choice
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
                  <button type="button" className="tool" onClick={openLinkForm} aria-label="Link" aria-expanded={linkForm !== null}>
                    Link
                  </button>
                  <span className={`char-count${tooLong ? ' over' : ''}`} data-testid="char-count" aria-live="polite">
                    {length} / {limit}
                  </span>
                </div>
                {linkForm && (
                  <div className="link-form" data-testid="link-form">
                    <label htmlFor="ad-link-url" className="sr-only">
                      Link address
                    </label>
                    <input
                      id="ad-link-url"
                      type="url"
                      inputMode="url"
                      autoFocus
                      value={linkForm.url}
                      aria-invalid={linkError ? true : undefined}
                      aria-describedby="ad-link-url-hint"
                      onChange={(e) => setLinkForm({ ...linkForm, url: e.target.value })}
                      onKeyDown={(e) => {
                        // Enter would submit the whole ad form.
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          insertLink();
                        } else if (e.key === 'Escape') setLinkForm(null);
                      }}
                    />
                    <button type="button" className="btn btn-secondary btn-sm" onClick={insertLink}>
                      Add link
                    </button>
                    <button type="button" className="btn btn-ghost btn-sm" onClick={() => setLinkForm(null)}>
                      Cancel
                    </button>
                    <span id="ad-link-url-hint" className={linkError ? 'field-error' : 'field-hint'} data-testid="link-form-hint">
                      {linkError ?? 'The selected text becomes the link. https://, http:// or tg:// addresses.'}
                    </span>
                  </div>
                )}
                <textarea
                  id="ad-text"
                  ref={textRef}
                  rows={8}
                  value={text}
                  aria-invalid={tooLong || issues.text ? true : undefined}
                  aria-describedby="ad-text-hint ad-text-errors"
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
                <FieldErrors id="ad-text-errors" name="text" messages={issues.text} />
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
                  aria-invalid={issues.imageUrl ? true : undefined}
                  aria-describedby="ad-image-errors"
                  onChange={(e) => {
                    setImageUrl(e.target.value);
                    changed();
                  }}
                />
                <FieldErrors id="ad-image-errors" name="imageUrl" messages={issues.imageUrl} />
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
                      aria-invalid={issues[`button-${i}-text`] ? true : undefined}
                      aria-describedby={`btn-errors-${i}`}
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
                      aria-invalid={issues[`button-${i}-url`] ? true : undefined}
                      aria-describedby={`btn-errors-${i}`}
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
                    <FieldErrors
                      id={`btn-errors-${i}`}
                      name={`button-${i}`}
                      messages={[...(issues[`button-${i}-text`] ?? []), ...(issues[`button-${i}-url`] ?? [])]}
                    />
                  </div>
                ))}
                <FieldErrors id="ad-buttons-errors" name="buttons" messages={issues.buttons} />
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
                aria-invalid={issues.link ? true : undefined}
                aria-describedby="ad-link-hint ad-link-errors"
                onChange={(e) => {
                  setLink(e.target.value);
                  changed();
                }}
              />
              <span id="ad-link-hint" className="field-hint">
                A post in a public channel, like https://t.me/yourchannel/123. Your bots copy it as it is.
              </span>
              <FieldErrors id="ad-link-errors" name="link" messages={issues.link} />
            </div>
          )}

          <div className="field">
            <label htmlFor="ad-chats">Target chats</label>
            <textarea
              id="ad-chats"
              rows={5}
              className="mono"
              value={chatsText}
              aria-invalid={chatErrors.length || overLimit || issues.chats ? true : undefined}
              aria-describedby="ad-chats-hint ad-chats-errors ad-chats-issues"
              placeholder={'@yourgroup\nhttps://t.me/yourchannel\n-1001234567890'}
              onChange={(e) => {
                setChatsText(e.target.value);
                changed();
              }}
            />
            <span id="ad-chats-hint" className="field-hint">
              One per line: @username, a t.me link, or a numeric chat id.{' '}
              <span className={overLimit ? 'field-error' : undefined} data-testid="chat-count">
                {chats.length} of {MAX_CHATS} chats{overLimit ? ` — remove ${chats.length - MAX_CHATS} to save` : ''}.
              </span>
            </span>
            {chatErrors.length > 0 && (
              <ul id="ad-chats-errors" className="field-error chat-errors" data-testid="chat-errors" aria-live="polite">
                {chatErrors.map((x) => (
                  <li key={`${x.line}-${x.message}`}>
                    Line {x.line}: {x.message}
                  </li>
                ))}
              </ul>
            )}
            {chatErrors.length === 0 && <FieldErrors id="ad-chats-issues" name="chats" messages={issues.chats} />}
          </div>
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
            {save.error instanceof ApiError ? explainSaveError(save.error.message, sentLines) : 'Could not save. Try again.'}
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
