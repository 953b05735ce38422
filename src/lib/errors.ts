// Typed domain errors. Modules throw them; the HTTP edge maps the code to a status once.
import { type ErrorCode, errorStatus } from '../shared/api/errors.js';

export { type ErrorCode, errorStatus } from '../shared/api/errors.js';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return errorStatus[this.code];
  }
}
