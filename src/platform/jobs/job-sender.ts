// What a module is given to enqueue work: `send` only. With `tx` the job is written inside the
// caller's transaction, so it exists exactly when the change that causes it committed.
import type { DbOrTx } from '../../db/client.js';
import type { JobName, JobPayload } from './definitions.js';

export type SendOptions = {
  tx?: DbOrTx;
  singletonKey?: string;
  /** With singletonKey: at most one such job per window of this many seconds. */
  singletonSeconds?: number;
  startAfter?: Date | number;
};

export interface JobSender {
  send<N extends JobName>(name: N, data: JobPayload<N>, opts?: SendOptions): Promise<string | null>;
}
