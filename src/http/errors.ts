// The one place errors become HTTP responses: `{"error": {"code", "message"}}`.
// Bad input is always a 4xx with a message; only our own faults are a 500.

import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../db/connection-errors.js';
import { AppError } from '../lib/errors.js';
import { NUL_MESSAGE, nulPaths } from '../shared/nul-text.js';

export function describeZodError(err: ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'Invalid request';
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

import type { ValidationIssue } from '../shared/api/errors.js';

/** Every problem at once, each with its field path, so a form can show them next to their fields. */
export function zodIssues(err: ZodError): ValidationIssue[] {
  return err.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message }));
}

type SchemaValidationEntry = { keyword: string; instancePath: string; message?: string; params: Record<string, unknown> };

/**
 * A route schema's refusal as zod issues again. fastify-type-provider-zod hands Fastify each
 * issue with its code as `keyword`, its path as a JSON pointer (`/chats/1`) and the rest in
 * `params`; an array index comes back a number, so `details.issues` paths match the schema's.
 */
export function schemaIssues(validation: readonly SchemaValidationEntry[]): ZodError['issues'] {
  return validation.map((v) => {
    const path =
      v.instancePath === '/'
        ? []
        : v.instancePath
            .split('/')
            .slice(1)
            .map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
    return { ...v.params, code: v.keyword, path, message: v.message ?? 'Invalid input' } as ZodError['issues'][number];
  });
}

/** PostgreSQL's SQLSTATE, looked up through Drizzle's wrapping error. */
function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

const inputDataErrors = new Set(['22021', '22P05', '22P02', '22007', '22008', '22025', '2201B']);

/** Routes that store what they receive verbatim and judge it themselves (the IPN webhook). */
const rawInputRoutes = new Set(['/api/payment/webhook']);

export function registerErrorHandling(app: FastifyInstance): void {
  // PostgreSQL text cannot hold NUL; refuse it at the edge with a message instead of failing in a query.
  app.addHook('preValidation', async (req) => {
    if (rawInputRoutes.has(req.routeOptions.url ?? '')) return;
    // The body's issues name each field, as a schema refusal does, so a form can put the words next to it.
    const inBody = nulPaths(req.body);
    if (inBody.length) {
      throw new AppError('validation_error', `${inBody[0]!.join('.') || 'body'}: ${NUL_MESSAGE}`, {
        issues: inBody.map((path) => ({ code: 'custom', path, message: NUL_MESSAGE })),
      });
    }
    if (nulPaths(req.query).length || nulPaths(req.params).length) {
      throw new AppError('validation_error', 'Text must not contain NUL (\\u0000) characters');
    }
  });

  app.setErrorHandler((err: FastifyError | AppError | ZodError | Error, req, reply) => {
    if (err instanceof AppError) {
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (err.status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
      const issues = err.code === 'validation_error' ? (err.details as { issues?: unknown } | undefined)?.issues : undefined;
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, ...(issues ? { details: { issues } } : {}) } });
    }
    // A route's zod schema refused the request (params, query or body): same shape as below.
    if (hasZodFastifySchemaValidationErrors(err)) {
      const zodErr = new ZodError(schemaIssues(err.validation));
      return reply.status(400).send({ error: { code: 'validation_error', message: describeZodError(zodErr), details: { issues: zodIssues(zodErr) } } });
    }
    // Our own response did not match its declared schema: our fault, logged with the issues.
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues, url: req.routeOptions.url }, 'response does not match its schema');
      return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
    }
    if (err instanceof ZodError) {
      // `message` stays the first problem (older clients show it); `details.issues` lists them all.
      return reply.status(400).send({ error: { code: 'validation_error', message: describeZodError(err), details: { issues: zodIssues(err) } } });
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = status === 429 ? 'rate_limited' : status === 413 ? 'payload_too_large' : 'bad_request';
      return reply.status(status).send({ error: { code, message: err.message } });
    }
    // Data exceptions that only a request's text can cause (bad encoding, unparsable value or
    // date) are the input's fault. Others in class 22 (a numeric overflow in our own SQL, say)
    // stay 500s so they are seen and fixed, not blamed on the user.
    const state = sqlState(err);
    if (state && inputDataErrors.has(state)) {
      req.log.warn({ err, sqlState: state }, 'request value refused by the database');
      return reply.status(400).send({ error: { code: 'validation_error', message: 'A value in the request is not valid' } });
    }
    // The database is unreachable (down, cut, frozen, timed out): the pool's timeouts end the
    // request in seconds, and the client is told to come back rather than that we broke.
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send({ error: { code: 'database_unavailable', message: 'The service is briefly unavailable; try again in a few seconds' } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side' } });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url}` } });
  });
}
