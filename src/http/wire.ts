// What a use case returns, as the JSON carries it: every Date becomes its ISO string, so a
// route's answer matches its response schema (src/shared/api: dates are `isoDateTime`).

/** `T` with each Date (at any depth) replaced by its ISO string. */
export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends Record<string, unknown>
      ? { [K in keyof T]: Wire<T[K]> }
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

export function toWire<T>(value: T): Wire<T> {
  return convert(value, 0) as Wire<T>;
}

function convert(value: unknown, depth: number): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object' || depth > 20) return value;
  if (Array.isArray(value)) return value.map((v) => convert(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = convert(v, depth + 1);
  return out;
}
