import { Fragment, type ReactNode } from 'react';
import type { Post } from '../api/get-bot';

// Telegram's HTML parse mode allows only these; everything else is shown as its text,
// which is also what keeps the preview safe from whatever the customer types.
const allowed: Record<string, string> = {
  b: 'strong',
  strong: 'strong',
  i: 'em',
  em: 'em',
  u: 'u',
  ins: 'u',
  s: 's',
  strike: 's',
  del: 's',
  code: 'code',
  pre: 'pre',
  a: 'a',
  'tg-spoiler': 'span',
  blockquote: 'blockquote',
};

function safeHref(href: string | null): string | undefined {
  return href && /^(https?:\/\/|tg:\/\/)/i.test(href) ? href : undefined;
}

function renderNodes(nodes: NodeListOf<ChildNode>, keyPrefix: string): ReactNode[] {
  const out: ReactNode[] = [];
  nodes.forEach((node, i) => {
    const key = `${keyPrefix}.${i}`;
    if (node.nodeType === Node.TEXT_NODE) {
      out.push(<Fragment key={key}>{node.textContent}</Fragment>);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const el = node as Element;
    const tag = allowed[el.tagName.toLowerCase()];
    const children = renderNodes(el.childNodes, key);
    if (!tag) {
      out.push(<Fragment key={key}>{children}</Fragment>);
    } else if (tag === 'a') {
      out.push(
        <a key={key} href={safeHref(el.getAttribute('href'))} target="_blank" rel="noreferrer noopener">
          {children}
        </a>,
      );
    } else {
      const Tag = tag as 'strong';
      out.push(
        <Tag key={key} className={el.tagName.toLowerCase() === 'tg-spoiler' ? 'tg-spoiler' : undefined}>
          {children}
        </Tag>,
      );
    }
  });
  return out;
}

export function renderTelegramHtml(html: string): ReactNode[] {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  return renderNodes(doc.body.childNodes, 'n');
}

export function TelegramPreview({ post, botName }: { post: Post | null; botName: string }) {
  return (
    <figure className="tg-screen" aria-label="Preview of your post in Telegram" data-testid="ad-preview">
      <div className="tg-bubble">
        <p className="tg-author">{botName}</p>
        {!post || (post.type === 'text' && !post.text.trim()) ? (
          <p className="tg-placeholder">Your ad appears here as you type.</p>
        ) : post.type === 'link' ? (
          <p className="tg-text">
            Forwarded as a copy of{' '}
            <a href={post.link} target="_blank" rel="noreferrer noopener">
              {post.link || 'your channel post'}
            </a>
            <span className="tg-note">The post is copied exactly as it appears in your channel, with its media and buttons.</span>
          </p>
        ) : (
          <>
            {post.imageUrl && (
              <div className="tg-image" role="img" aria-label="Image attached" style={{ backgroundImage: `url("${encodeURI(post.imageUrl)}")` }} />
            )}
            <p className="tg-text">{renderTelegramHtml(post.text)}</p>
          </>
        )}
        <span className="tg-time">12:00</span>
      </div>
      {post?.type === 'text' && post.buttons && post.buttons.length > 0 && (
        <div className="tg-buttons">
          {post.buttons.map((b, i) => (
            <span key={i} className="tg-button">
              {b.text || 'Button'} ↗
            </span>
          ))}
        </div>
      )}
    </figure>
  );
}
