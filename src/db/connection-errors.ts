// Recognises "the database is not reachable right now" (refused, reset, timed out, shutting
// down) as opposed to a bug or a bad query: the first is answered 503 and survived, the
// second is a 500 and may be fatal.

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATE: 08 connection exceptions, 57014 statement timeout/cancel, 57P01-57P03 shutdown and
// start-up, 53300 too many connections.
const SQL_STATES = /^(08...|57014|57P0[1-3]|53300)$/;

// What node-postgres and pg-pool say when a connection dies or a timeout fires.
const MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection ended|read ECONNRESET|not queryable/i;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e !== 'object') return false;
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SQL_STATES.test(e.code))) return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  }
  return false;
}
