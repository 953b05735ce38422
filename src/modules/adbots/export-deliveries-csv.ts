// The delivery log as a CSV file, produced page by page so a long history is never held in memory.
// Quoting is RFC 4180 by hand: eight lines do not earn a dependency.
import type { DbOrTx } from '../../db/client.js';
import { DELIVERY_CSV_MAX_ROWS, type DeliveryFilter } from '../../shared/api/customer.js';
import { type DeliveryRow, listDeliveries } from './list-deliveries.js';

export type ExportDeliveriesCsvOptions = {
  db: DbOrTx;
  /** The session's user: never an id taken from the request. */
  userId: string;
  filter: DeliveryFilter;
  maxRows?: number;
  pageSize?: number;
};

export const CSV_HEADER = ['time_utc', 'due_utc', 'chat', 'chat_title', 'bot_username', 'result', 'error', 'link'] as const;

/**
 * One CSV cell. A spreadsheet runs a cell starting with = + - @ (or a tab or CR) as a formula,
 * and chat titles and Telegram's error texts are not ours: such cells get a leading '.
 * (So does an '@name' chat ref: Excel would read it as a formula too and show #NAME?.)
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function rowCells(r: DeliveryRow): (string | null)[] {
  return [r.at.toISOString(), r.dueAt?.toISOString() ?? null, r.chatRef, r.chatTitle, r.botUsername, r.result, r.error, r.url];
}

/**
 * Reads the first page before returning, so a failure there is an ordinary error answer; then
 * yields the header and one chunk per page, up to `maxRows` rows.
 */
export async function exportDeliveriesCsv({
  db,
  userId,
  filter,
  maxRows = DELIVERY_CSV_MAX_ROWS,
  pageSize = 1000,
}: ExportDeliveriesCsvOptions): Promise<AsyncIterable<string>> {
  const first = await listDeliveries({ db, userId, filter, limit: Math.min(pageSize, maxRows) });
  async function* chunks(): AsyncGenerator<string> {
    // A byte-order mark: Excel reads the file as UTF-8 only with one (titles are often not ASCII).
    yield `\uFEFF${csvLine(CSV_HEADER)}`;
    let page = first;
    let written = 0;
    for (;;) {
      if (page.posts.length) yield page.posts.map((r) => csvLine(rowCells(r))).join('');
      written += page.posts.length;
      if (!page.nextCursor || written >= maxRows) return;
      page = await listDeliveries({ db, userId, filter, limit: Math.min(pageSize, maxRows - written), cursor: page.nextCursor });
    }
  }
  return chunks();
}
