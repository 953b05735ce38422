// Limits every plan shares, in a module without zod: the pricing page (the first script, which
// carries no zod) states them, and the server enforces them (bot-config-schema.ts).

/** How many target chats one adbot may have. */
export const MAX_CHATS = 200;
