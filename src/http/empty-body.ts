// A request without a body is judged as `{}`, so the 400 names each missing field
// ("accessCode: Invalid input…") rather than saying only that an object was expected.
import { z } from 'zod';

export const orEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((body) => body ?? {}, schema);
