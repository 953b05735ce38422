// Where a delivered post can be seen: the customer's proof that the ad landed.

export type ProofChat = { chatId: bigint | null; username: string | null };

/**
 * `https://t.me/<username>/<id>` for a public chat, `https://t.me/c/<id>/<msg>` for a private
 * supergroup or channel (ids -100…). A basic group has no message links at all: null.
 */
export function proofUrl(chat: ProofChat, messageId: number): string | null {
  if (chat.username) return `https://t.me/${chat.username}/${messageId}`;
  if (chat.chatId === null) return null;
  const id = chat.chatId.toString();
  if (!id.startsWith('-100') || id.length <= 4) return null;
  return `https://t.me/c/${id.slice(4)}/${messageId}`;
}
