// Why a sender cannot post into a chat, and what the customer does about it: the text the
// dashboard shows next to a chat marked no_access.

export type AccessProblem =
  | 'not_member'
  | 'kicked'
  | 'restricted'
  | 'no_media_right'
  | 'not_admin'
  | 'no_post_right'
  | 'channel_private'
  | 'topic_closed'
  | 'chat_gone'
  | 'not_found'
  | 'private_chat'
  | 'refused';

export type ChatKind = 'group' | 'supergroup' | 'channel' | 'private' | string | null;

/** Decides from a getChatMember answer whether the bot may post; null = it may. */
export function postingProblem(
  chatType: ChatKind,
  member: { status: string; can_post_messages?: boolean; can_send_messages?: boolean; is_member?: boolean },
): AccessProblem | null {
  if (chatType === 'private') return 'private_chat';
  const { status } = member;
  if (chatType === 'channel') {
    if (status === 'creator') return null;
    if (status === 'administrator') return member.can_post_messages === false ? 'no_post_right' : null;
    if (status === 'kicked') return 'kicked';
    return 'not_admin';
  }
  if (status === 'creator' || status === 'administrator' || status === 'member') return null;
  if (status === 'restricted') {
    if (member.is_member === false) return 'not_member';
    return member.can_send_messages === false || member.can_send_messages === undefined ? 'restricted' : null;
  }
  if (status === 'kicked') return 'kicked';
  return 'not_member';
}

/** The kind of problem behind a 403 (or a 400 about rights) from a send. */
export function problemFromError(description: string): AccessProblem {
  if (/kicked|banned/i.test(description)) return 'kicked';
  if (/not a member/i.test(description)) return 'not_member';
  if (/not enough rights|have no rights|restricted|CHAT_WRITE_FORBIDDEN/i.test(description)) return 'restricted';
  if (/administrator/i.test(description)) return 'not_admin';
  if (/bots can't send messages to bots|user is deactivated|can't initiate conversation/i.test(description)) return 'private_chat';
  return 'refused';
}

/** `bot is not a member — add @x to the group, then Re-check`, and the like; `ref` names the chat where that helps. */
export function accessFix(problem: AccessProblem, senderUsername: string | null, chatType: ChatKind, ref?: string): string {
  const bot = senderUsername ? `@${senderUsername}` : 'your bot';
  const place = chatType === 'channel' ? 'channel' : 'group';
  switch (problem) {
    case 'not_member':
      return chatType === 'channel'
        ? `bot is not an administrator — add ${bot} to the channel as an admin allowed to post, then Re-check`
        : `bot is not a member — add ${bot} to the ${place}, then Re-check`;
    case 'kicked':
      return `bot was removed from the ${place} — add ${bot} back (unban it first), then Re-check`;
    case 'restricted':
      return `bot may not send messages here — allow ${bot} to send messages in the ${place}, then Re-check`;
    case 'not_admin':
      return `bot is not an administrator — add ${bot} to the channel as an admin allowed to post, then Re-check`;
    case 'no_post_right':
      return `bot is an admin without "Post messages" — give ${bot} that right in the channel, then Re-check`;
    case 'no_media_right':
      return `bot may not send photos here — allow ${bot} to send photos (media) in the ${place}, then Re-check`;
    case 'channel_private':
      return `the channel is private and ${bot} cannot see it — add ${bot} to the channel as an admin allowed to post, then Re-check`;
    case 'topic_closed':
      return `the ${place}'s topic is closed — reopen it, or make ${bot} an admin who may manage topics, then Re-check`;
    case 'chat_gone':
      return 'Telegram says this group was deleted or deactivated — remove it from your list';
    case 'not_found':
      return `Telegram no longer finds ${ref ?? `this ${place}`} — check it, then Re-check`;
    case 'private_chat':
      return 'this is a private chat with a person, not a group or channel — remove it and list groups or channels';
    default:
      return `Telegram refused the post — check ${bot}'s rights in the ${place}, then Re-check`;
  }
}
