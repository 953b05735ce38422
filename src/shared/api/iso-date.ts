// Isomorphic: zod only. (The same line as `isoDateTime` in the customer area's src/shared/api/common.ts: keep one when both are merged.)
import { z } from 'zod';

/** A moment as it travels in JSON: an ISO 8601 string in UTC (`Date#toISOString()`). */
export const isoDateTime = z.iso.datetime({ offset: true });
