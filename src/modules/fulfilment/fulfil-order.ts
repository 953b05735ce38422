import type { AppContext } from '../../context.js';

export type FulfilOrderOptions = { ctx: AppContext; orderId: string };

/** The one path that completes a paid order. Idempotent per order. */
export async function fulfilOrder(_opts: FulfilOrderOptions): Promise<void> {
  // Implemented by the fulfilment work (issue 4).
}
