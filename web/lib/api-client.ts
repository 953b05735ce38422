// Every call to our API goes through here: JSON in and out, errors as ApiError with the
// server's stable code (src/shared/api/errors.ts) and message, so screens switch on the code
// and show the message. Types only from the contract: this is in the first page's script,
// which carries no zod.
import type { ErrorCode, ValidationIssue } from '../../src/shared/api/errors';

/** What went wrong before the server could say: no connection, no JSON, or an answer outside the contract. */
export type ClientErrorCode = 'network' | 'http_error' | 'bad_response';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** What the server sent in `error.details`, e.g. `{ issues: [{ path, message }] }` for a validation 400. */
    readonly details?: { issues?: ValidationIssue[]; [key: string]: unknown },
  ) {
    super(message);
  }
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach HQAdz. Check your connection and try again.');
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: ErrorCode; message?: string; details?: ApiError['details'] } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? `Request failed (${res.status})`, err?.details);
  }
  return data as T;
}

/** A successful answer that the contract's schema refuses: the same error whichever screen asked. */
export function badResponse(): ApiError {
  return new ApiError(0, 'bad_response', 'The server sent an unexpected answer');
}
