// What every documented route says about its auth and its errors in OpenAPI (GET /api/openapi.json).
import { z } from 'zod';
import { errorBodySchema } from '../shared/api/errors.js';

/** A logged-in caller: the session cookie, or the same token as `Authorization: Bearer`. */
export const sessionSecurity: { [scheme: string]: string[] }[] = [{ session: [] }, { bearer: [] }];

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 502 | 503;

/** `{status: errorBodySchema}` for each status a route can answer with besides its successes. */
export function errorResponses<const S extends ErrorStatus>(...statuses: S[]): { [K in S]: typeof errorBodySchema } {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as { [K in S]: typeof errorBodySchema };
}

/** A logged-in route: bad input, not logged in, wrong role, our fault, database down. */
export const authedErrors = errorResponses(400, 401, 403, 500, 503);

/** A body schema that judges a missing body as `{}`, so the 400 names the missing fields. */
export const orEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((body) => body ?? {}, schema);
