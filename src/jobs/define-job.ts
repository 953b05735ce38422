import type { z } from 'zod';
import type { AppContext } from '../context.js';

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
  handler(ctx: AppContext, data: z.infer<S>): Promise<void>;
};

export function defineJob<const N extends string, S extends z.ZodType>(def: JobDefinition<N, S>): JobDefinition<N, S> {
  return def;
}
