// What a module is given to enqueue work: `send` (and `sendAll`, several jobs in one statement).
// With `tx` the jobs are written inside the caller's transaction, so they exist exactly when the
// change that causes them committed.
import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import type { JobName, JobPayload } from './definitions.js';

export type SendOptions = {
  tx?: DbOrTx;
  singletonKey?: string;
  /** With singletonKey: at most one such job per window of this many seconds. */
  singletonSeconds?: number;
  startAfter?: Date | number;
};

/** One job of a `sendAll`: a name and its payload, with the queue's own options. */
export type JobRequest = { [N in JobName]: { name: N; data: JobPayload<N> } }[JobName];

export interface JobSender {
  send<N extends JobName>(name: N, data: JobPayload<N>, opts?: SendOptions): Promise<string | null>;
  /** Every job in one insert (one round trip on a hot path); all commit with `tx`, or none. */
  sendAll(jobs: readonly JobRequest[], opts?: Pick<SendOptions, 'tx'>): Promise<void>;
  /**
   * sendAll's insert as a part of the caller's own statement (a data-modifying CTE): the jobs are
   * written only when `onlyIf` holds, so they commit with that statement's other writes or not at
   * all. `jobs` is SQL of a JSON array of insertRows' rows (or a placeholder for it). Optional: a caller
   * without it runs its writes one by one and calls sendAll.
   */
  insertSql?(jobs: unknown, onlyIf: SQL): Promise<SQL>;
  /** The jobs, checked, as the rows of insertSql's `jobs` (JSON.stringify them for a parameter). */
  insertRows?(jobs: readonly JobRequest[]): object[];
}
