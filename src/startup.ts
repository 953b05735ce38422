// First-start work that needs the whole context: bootstrap data for a usable install.
// Every step is idempotent and safe when several processes start together.
import type { AppContext } from './context.js';
import { ensureFirstAdmin } from './modules/accounts/ensure-first-admin.js';
import { seedSandboxSenders } from './modules/stock/seed-sandbox-senders.js';

export async function onStartup(ctx: AppContext): Promise<void> {
  const admin = await ensureFirstAdmin({ ctx });
  if (admin.created && admin.source === 'generated') printGeneratedAdminCode(admin.accessCode);
  else if (admin.created) ctx.log.info('first admin created from ADMIN_ACCESS_CODE');

  const seeded = await seedSandboxSenders({ ctx });
  if (seeded > 0) ctx.log.info({ count: seeded }, 'test mode: sandbox senders added to stock');
}

// Straight to stdout, not the logger: it must be seen whatever LOG_LEVEL says, and it is
// the only copy of the code (only its hash is stored).
function printGeneratedAdminCode(code: string): void {
  const line = '='.repeat(64);
  console.log(
    [
      '',
      line,
      '  HQAdz: first admin created',
      `  Admin access code: ${code}`,
      '  Log in at /login with it. It is shown only this once: store it now.',
      '  (Set ADMIN_ACCESS_CODE to choose your own on a fresh install.)',
      line,
      '',
    ].join('\n'),
  );
}
