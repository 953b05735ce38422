// The ad's text: formatting buttons, the link tool, the counter Telegram's limit is judged by,
// and the text's problems. Owns the textarea's selection, which the buttons wrap.
import { useLayoutEffect, useRef, useState } from 'react';
import { linkTargetProblem } from '../../../../src/shared/telegram-html';
import { FieldErrors } from './field-errors';

/** Why Telegram would refuse this link target, or null — the rule the server applies, in the form's words. */
export function linkProblem(raw: string): string | null {
  const url = raw.trim();
  if (!url) return 'Enter the address the link opens.';
  const problem = linkTargetProblem(url);
  if (problem === 'scheme') return 'Links must start with https://, http:// or tg://';
  if (problem === 'host') return 'That is not a full web address — e.g. https://example.com';
  return null;
}

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

type Range = { s: number; e: number };

export function MessageField({
  text,
  onText,
  length,
  limit,
  hasImage,
  messages,
}: {
  text: string;
  onText: (text: string) => void;
  length: number;
  limit: number;
  hasImage: boolean;
  messages: string[] | undefined;
}) {
  const tooLong = length > limit;
  const textRef = useRef<HTMLTextAreaElement>(null);
  // Where the selection goes once the wrapped text is on screen. Restored in the same commit:
  // a frame scheduled for later could land after the next edit and move that selection.
  const pendingSelection = useRef<Range | null>(null);
  const [linkForm, setLinkForm] = useState<(Range & { url: string; tried: boolean }) | null>(null);

  function wrap(before: string, after: string, placeholder: string, range?: Range) {
    const el = textRef.current;
    if (!el) return;
    const { s, e } = range ?? { s: el.selectionStart, e: el.selectionEnd };
    const selected = text.slice(s, e) || placeholder;
    onText(text.slice(0, s) + before + selected + after + text.slice(e));
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

  return (
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
        aria-invalid={tooLong || messages ? true : undefined}
        aria-describedby="ad-text-hint ad-text-errors"
        onChange={(e) => onText(e.target.value)}
        placeholder="New drop today — 20% off for members. Tap below to shop."
      />
      <span id="ad-text-hint" className={tooLong ? 'field-error' : 'field-hint'}>
        {tooLong
          ? `Too long by ${length - limit} characters${hasImage ? ' — a message with an image allows 1024' : ''}.`
          : 'Telegram HTML: <b>, <i>, <u>, <s>, <a href="…">, <code>.'}
      </span>
      <FieldErrors id="ad-text-errors" name="text" messages={messages} />
    </div>
  );
}
