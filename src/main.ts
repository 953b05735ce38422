// Starts the roles: `all` (default: web + API + worker in one process), `api` or `worker`.
// API and worker processes can run any number of times against one PostgreSQL server.
import { ConfigError, loadConfig } from './config.js';
import { type AppRuntime, closeContext, createContext } from './context.js';
import { isDatabaseUnavailable } from './db/connection-errors.js';
import { buildApp } from './http/app.js';
import { startOpsServer } from './http/ops-server.js';
import { jobHandlers } from './jobs/handlers.js';
import { createLogger, type Logger } from './lib/logger.js';
import { type EngineLoop, startEngineLoop } from './modules/engine/start-engine-loop.js';
import { type SenderUpdates, startSenderUpdates } from './modules/engine/updates/start-updates.js';
import { startWorkerHeartbeat, type WorkerHeartbeat } from './platform/worker-heartbeat.js';

type Role = 'all' | 'api' | 'worker';

async function main(): Promise<void> {
  const role = (process.argv[2] ?? process.env.ROLE ?? 'all') as Role;
  if (!['all', 'api', 'worker'].includes(role)) {
    console.error(`Unknown role "${role}": use all, api or worker`);
    process.exit(1);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  installProcessGuards(log);
  if (role !== 'all' && config.database === 'embedded') {
    log.warn('separate api/worker processes need DATABASE_URL; the embedded database serves one process');
  }
  const started = Date.now();
  const ctx: AppRuntime = await createContext({ config, log });
  await import('./startup.js').then((m) => m.onStartup(ctx));

  let engine: EngineLoop | undefined;
  let updates: SenderUpdates | undefined;
  let heartbeat: WorkerHeartbeat | undefined;
  if (role === 'all' || role === 'worker') {
    await ctx.queue.work(jobHandlers(ctx));
    // The senders' updates are read by the worker that drives them (TELEGRAM_UPDATES).
    const senderUpdates = startSenderUpdates({ ctx });
    updates = senderUpdates;
    engine = startEngineLoop({ ctx, onLeases: (held) => senderUpdates.onLeases(held) });
    // Readiness (in any process) asks for a beat under 60 s old.
    heartbeat = await startWorkerHeartbeat({ ctx });
  }
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let ops: Awaited<ReturnType<typeof startOpsServer>>;
  if (role === 'all' || role === 'api') {
    app = await buildApp(ctx);
    await app.listen({ port: config.port, host: config.host });
  } else {
    // A worker has no API; it still answers /metrics and health on PORT for its scraper.
    ops = await startOpsServer(ctx);
  }
  log.info(
    { role, database: config.database, testMode: config.testMode, ms: Date.now() - started },
    `HQAdz ready${app ? ` at ${config.publicUrl}` : ' (worker)'}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app?.close();
    await ops?.close();
    await engine?.stop();
    await updates?.stop();
    await heartbeat?.stop();
    await closeContext(ctx);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * A database blip must not take the process down: pg-boss 10 completes and fails jobs
 * without awaiting the call, so a connection cut mid-job surfaces as an unhandled rejection
 * that would end Node. A rejection nobody awaited unwound none of our code, so the process
 * carries on and the pool reconnects. A thrown exception is kept only when it is the
 * database going away; anything else may have left state half-changed, so we exit 1 and
 * let the supervisor restart us.
 */
function installProcessGuards(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseUnavailable(reason)) log.warn({ err: reason }, 'database unavailable (unawaited promise); carrying on');
    else log.error({ err: reason }, 'unhandled promise rejection; carrying on');
  });
  process.on('uncaughtException', (err) => {
    if (isDatabaseUnavailable(err)) {
      log.warn({ err }, 'database unavailable (uncaught); carrying on');
      return;
    }
    log.fatal({ err }, 'uncaught exception; exiting');
    process.exitCode = 1;
    setImmediate(() => process.exit(1));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
