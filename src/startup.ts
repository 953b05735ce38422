// First-start work that needs the whole context: bootstrap data for a usable install.
import type { AppContext } from './context.js';

export async function onStartup(_ctx: AppContext): Promise<void> {
  // Filled by the accounts (first admin) and stock (sandbox senders in test mode) modules.
}
