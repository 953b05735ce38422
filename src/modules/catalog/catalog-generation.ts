// What this process knows about changes to the public catalog: plan edits made here end
// the products cache's staleness window at once (see PRODUCTS_MAX_STALE_MS). Changes made
// by another process, or by time (a sender's flood wait ending), wait out the window.
let generation = 0;

/** Call after committing a change to plans or sellable stock. */
export function noteCatalogChanged(): void {
  generation++;
}

export function catalogGeneration(): number {
  return generation;
}

/**
 * How old (ms) the plans and availability `GET /api/products` answers with may be, at most:
 * a read serves every request arriving within this long after it started. One read per
 * second per process instead of one per burst is what lets the pricing API keep up with
 * Fastify itself (issue 12); prices are still the database's (checkout reads the plan
 * afresh and snapshots it into the order), and a plan shown available for up to a second
 * after it sold out gets checkout's 409 `out_of_stock`, the authoritative answer.
 */
export const PRODUCTS_MAX_STALE_MS = 1000;
