import { describe, expect, it } from 'vitest';
import { splitChatLines } from './chat-lines';
import { clientIssues, fieldIssues, serverIssues } from './form-issues';

describe('form issues', () => {
  it('maps the server 400 issues to the same fields as the client schema', () => {
    const body = { post: { type: 'text', text: ' ', buttons: [{ text: '', url: 'https://x.com' }] }, chats: ['@good_chat', '@ab'] };
    const lines = splitChatLines('@good_chat\n\n@ab');
    const local = fieldIssues(clientIssues(body), lines);
    const server = fieldIssues(
      serverIssues({
        issues: [
          { path: ['post', 'text'], message: 'write the ad text' },
          { path: ['post', 'buttons', 0, 'text'], message: 'needs a label' },
          { path: ['chats', 1], message: '"@ab" is not a valid Telegram username' },
        ],
      })!,
      lines,
    );
    expect(server).toEqual({
      text: ['Write the ad text'],
      'button-0-text': ['Button 1 needs a label'],
      chats: ['Line 3: "@ab" is not a valid Telegram username'],
    });
    expect(local).toEqual(server);
  });

  it('reads no issues from a body without them', () => {
    expect(serverIssues(undefined)).toBeNull();
    expect(serverIssues({ retryAfterSeconds: 3 })).toBeNull();
  });
});
