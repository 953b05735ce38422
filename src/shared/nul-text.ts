// PostgreSQL text cannot hold NUL (U+0000), and Telegram would drop it. A NUL usually arrives
// pasted from another program, invisible. The server refuses a body holding one (src/http/
// errors.ts) and the ad form checks its fields the same way before sending, so the person
// sees which field, in the same words, either way. Pure: no Node imports.

/** Reads after the field's name: "Message has a hidden NUL character …". */
export const NUL_MESSAGE = 'has a hidden character that cannot be saved (NUL, often pasted from another program): retype that part';

/** Where each string holding a NUL sits in `value` (JSON paths, array indexes as numbers). */
export function nulPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(path);
  } else if (value !== null && typeof value === 'object' && path.length <= 20) {
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) nulPaths(v, [...path, k], out);
  }
  return out;
}
