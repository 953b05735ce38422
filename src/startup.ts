// First-start work that needs the whole context: bootstrap data for a usable install.
// Every step is idempotent and safe when several processes start together.

import { ensureFirstAdmin } from './modules/accounts/ensure-first-admin.js';
import { seedSandboxSenders } from './modules/stock/seed-sandbox-senders.js';
import type { AppContext } from './platform/app-context.js';

export type OnStartupOptions = {
  /**
   * Where the first admin's code goes. Stdout by default, not the logger: it must be seen
   * whatever LOG_LEVEL says. Tests pass a sink so no code reaches their output.
   */
  print?: (text: string) => void;
};

export async function onStartup(ctx: AppContext, { print = (text) => console.log(text) }: OnStartupOptions = {}): Promise<void> {
  const seeded = await seedSandboxSenders({ ctx });
  if (seeded > 0) ctx.log.info({ count: seeded }, 'test mode: sandbox senders added to stock');

  // Last of the start-up output (only the ready line follows, and requests log only errors),
  // so the banner stays on screen: it is the only copy of the code (only its hash is stored).
  const admin = await ensureFirstAdmin({ ctx });
  if (admin.created && admin.source === 'generated') {
    // The logger and console.log are two writers on one stdout: under load pino's buffered
    // line can land after the banner and push it up. Drain the logger first.
    await new Promise<void>((resolve) => ctx.log.flush(() => resolve()));
    print(adminCodeBanner(admin.accessCode, `${ctx.config.publicUrl}/login`));
  } else if (admin.created) ctx.log.info('first admin created from ADMIN_ACCESS_CODE');
}

/** The framed banner with the generated first admin code. */
export function adminCodeBanner(code: string, loginUrl: string): string {
  const lines = [
    'HQAdz: first admin created',
    '',
    `Admin access code: ${code}`,
    '',
    `Log in at ${loginUrl} with it.`,
    'It is shown only this once: store it now.',
    '(Set ADMIN_ACCESS_CODE to choose your own on a fresh install.)',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 4;
  return ['', `╔${'═'.repeat(width)}╗`, ...lines.map((l) => `║  ${l.padEnd(width - 2)}║`), `╚${'═'.repeat(width)}╝`, ''].join('\n');
}
