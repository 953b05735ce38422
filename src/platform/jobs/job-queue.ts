// pg-boss over our database connection: the JobSender modules are given, and the worker loop
// the composition root starts with the handlers (src/jobs/handlers.ts).
import { type SQL, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { positionalSql, type SqlExecutor } from '../../db/client.js';
import { txExecutor } from '../../db/tx-executor.js';
import { currentRequestId, withLogContext } from '../../lib/log-context.js';
import type { Logger } from '../../lib/logger.js';
import type { JobDefinition } from './define-job.js';
import { type JobHandlers, type JobName, type JobPayload, jobDefinitions } from './definitions.js';
import type { JobRequest, JobSender, SendOptions } from './job-sender.js';

export type { SendOptions } from './job-sender.js';

/** Where pg-boss 10's insert reads its jobs (plans.js insertJobs). */
const JOBS_PARAMETER = 'json_to_recordset($1)';

export class JobQueue implements JobSender {
  readonly boss: PgBoss;
  private readonly defs = new Map<string, JobDefinition>();

  constructor(
    private readonly executor: SqlExecutor,
    private readonly log: Logger,
    private readonly pollSeconds: number,
  ) {
    this.boss = new PgBoss({
      db: executor,
      schema: 'pgboss',
    });
    this.boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
    for (const def of jobDefinitions) this.defs.set(def.name, def as unknown as JobDefinition);
  }

  async start(): Promise<void> {
    await this.boss.start();
    const existing = new Map((await this.boss.getQueues()).map((q) => [q.name, q]));
    for (const def of this.defs.values()) {
      const options = {
        name: def.name,
        retryLimit: def.options?.retryLimit ?? 10,
        retryDelay: def.options?.retryDelay ?? 5,
        retryBackoff: def.options?.retryBackoff ?? true,
        expireInSeconds: def.options?.expireInSeconds ?? 300,
      };
      const current = existing.get(def.name);
      if (current) {
        // A queue made by an older release keeps its options until told: update what changed
        // (e.g. a shorter expiry, so a job of a killed worker is retried sooner).
        const changed = (['retryLimit', 'retryDelay', 'retryBackoff', 'expireInSeconds'] as const).some((k) => current[k] !== options[k]);
        if (changed) await this.boss.updateQueue(def.name, options);
        continue;
      }
      try {
        await this.boss.createQueue(def.name, options);
      } catch (err) {
        // Another process created it first.
        if (!(await this.boss.getQueue(def.name))) throw err;
      }
    }
  }

  async send<N extends JobName>(name: N, data: JobPayload<N>, opts: SendOptions = {}): Promise<string | null> {
    return this.boss.send(name, this.payload(name, data), {
      ...(opts.tx ? { db: txExecutor(opts.tx) } : {}),
      ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      ...(opts.singletonSeconds ? { singletonSeconds: opts.singletonSeconds } : {}),
      ...(opts.startAfter ? { startAfter: opts.startAfter as Date } : {}),
    });
  }

  async sendAll(jobs: readonly JobRequest[], opts: Pick<SendOptions, 'tx'> = {}): Promise<void> {
    if (jobs.length === 0) return;
    // pg-boss's insert takes each queue's retry and expiry options, as send does.
    const rows = jobs.map((job) => ({ name: job.name, data: this.payload(job.name, job.data) }));
    await this.boss.insert(rows, opts.tx ? { db: txExecutor(opts.tx) } : {});
  }

  async insertSql(jobs: unknown, onlyIf: SQL): Promise<SQL> {
    // pg-boss builds the statement and its parameters (each queue's retry and expiry options,
    // as send does); it is kept, not run, and its jobs parameter is read only when onlyIf holds.
    let captured: { text: string; values: unknown[] } | undefined;
    const capture: SqlExecutor = {
      async executeSql(text, values = []) {
        captured = { text, values };
        return { rows: [] };
      },
    };
    await this.boss.insert([], { db: capture });
    const at = captured?.text.indexOf(JOBS_PARAMETER) ?? -1;
    if (!captured || at < 0) throw new Error(`pg-boss's job insert no longer reads ${JOBS_PARAMETER}`);
    const { text, values } = captured;
    const before = text.slice(0, at);
    const after = text.slice(at + JOBS_PARAMETER.length);
    return sql.join([positionalSql(before, values), sql`json_to_recordset((select ${jobs}::json where ${onlyIf}))`, positionalSql(after, values)]);
  }

  insertRows(jobs: readonly JobRequest[]): object[] {
    // What pg-boss's insert sends, as JSON, as its jobs parameter.
    return jobs.map((job) => ({ name: job.name, data: this.payload(job.name, job.data) }));
  }

  /** The checked payload, with the request that caused the job, so its log lines share the request id. */
  private payload(name: JobName, data: unknown): object {
    const requestId = currentRequestId();
    return { ...(this.defs.get(name)!.payload.parse(data) as object), ...(requestId ? { requestId } : {}) };
  }

  /** Starts handlers for every job, and the cron schedules (worker role only). */
  async work(handlers: JobHandlers): Promise<void> {
    for (const def of this.defs.values()) {
      const handler = handlers[def.name as JobName] as (data: unknown) => Promise<void>;
      await this.boss.work(def.name, { pollingIntervalSeconds: this.pollSeconds, batchSize: 1 }, async ([job]) => {
        if (!job) return;
        const data = def.payload.parse(job.data);
        const requestId = (job.data as { requestId?: unknown } | null)?.requestId;
        try {
          await withLogContext({ ...(typeof requestId === 'string' ? { requestId } : {}), job: def.name, jobId: job.id }, () => handler(data));
        } catch (err) {
          this.log.error({ err, job: def.name, jobId: job.id }, 'job failed; it will be retried');
          throw err;
        }
      });
      if (def.cron) await this.boss.schedule(def.name, def.cron, { sentAt: 'cron' });
    }
  }

  /** The names of every job in the registry, which are also the queue names. */
  queueNames(): string[] {
    return [...this.defs.keys()];
  }

  /**
   * Puts a queue's failed jobs (retries used up, not yet archived) back to run once more,
   * for the operator after the cause is fixed. pg-boss retries by id; it lists no failed jobs.
   */
  async retryFailed(name: JobName): Promise<number> {
    const { rows } = await this.executor.executeSql(`select id from pgboss.job where name = $1 and state = 'failed'`, [name]);
    const ids = rows.map((r) => String(r.id));
    if (ids.length === 0) return 0;
    await this.boss.retry(name, ids);
    return ids.length;
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 5000 });
  }
}
