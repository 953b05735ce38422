// The API's error contract, shared by server and web: every non-2xx body is
// `{"error": {"code", "message", "details"?}}`. `code` is stable and the web switches on it;
// `message` is for people and may change.
import { z } from 'zod';

/** Every error code and its HTTP status. A new code is added here, and the web may switch on it. */
export const errorStatus = {
  validation_error: 400,
  bad_request: 400,
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  cross_origin: 403,
  not_found: 404,
  conflict: 409,
  out_of_stock: 409,
  not_ready: 409,
  plan_inactive: 409,
  /** A checkout for the same email, plan and coin is still asking the provider for its invoice: retry in a moment. */
  payment_in_progress: 409,
  gone: 410,
  payload_too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  provider_error: 502,
  provider_unavailable: 503,
  database_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const validationIssueSchema = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof validationIssueSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z
        .object({ issues: z.array(validationIssueSchema).optional() })
        .loose()
        .optional(),
    }),
  })
  .meta({ id: 'Error', description: 'Every 4xx and 5xx: a stable `code` the client switches on and a `message` for people.' });
export type ErrorBody = z.infer<typeof errorBodySchema>;
