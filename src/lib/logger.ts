import pino from 'pino';
import { currentLogContext } from './log-context.js';

export type Logger = pino.Logger;

// Secrets never reach a log line, whatever object a caller logs: request headers, cookies,
// bearer and checkout tokens, access codes and sender bot tokens.
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-nowpayments-sig"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'authorization',
  'cookie',
  'token',
  'tokens',
  'accessCode',
  'checkoutSecret',
  'password',
  'secret',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.tokens',
  '*.accessCode',
  '*.checkoutSecret',
  '*.password',
  '*.secret',
];

/** `destination`: where lines go (stdout when omitted; tests pass a file). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // The request id and the order/payment/adbot ids bound to the current request or job.
    // A copy: pino merges the logged object into what the mixin returns.
    mixin: () => ({ ...currentLogContext() }),
  };
  return destination ? pino(options, destination) : pino(options);
}
