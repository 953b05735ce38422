// A job's definition: its name, the zod schema of its payload and its queue options. Any
// module may import a definition to send the job; what runs it (the handler) is registered in
// the composition root (src/jobs/handlers.ts), so sending a job never imports its use case.
import type { z } from 'zod';

export type JobOptions = {
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
};

export type JobDefinition<N extends string = string, S extends z.ZodType = z.ZodType> = {
  name: N;
  payload: S;
  options?: JobOptions;
  /** Cron (minute granularity) for jobs the worker schedules itself. */
  cron?: string;
};

export function defineJob<const N extends string, S extends z.ZodType>(def: JobDefinition<N, S>): JobDefinition<N, S> {
  return def;
}
