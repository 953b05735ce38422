import { z } from 'zod';

/** A list's sort order: one named field, ascending or descending. */
export type Sort<F extends string> = { field: F; dir: 'asc' | 'desc' };

/**
 * `?sort=field` (ascending) or `?sort=-field` (descending), limited to the fields a list can
 * sort on; anything else is a 400 naming the choices.
 */
export function sortParam<const F extends string>(fields: readonly F[]) {
  const choices = fields.flatMap((f) => [f, `-${f}`]).join(', ');
  return z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((value, zctx): Sort<F> | undefined => {
      if (!value) return undefined;
      const dir = value.startsWith('-') ? 'desc' : 'asc';
      const field = dir === 'desc' ? value.slice(1) : value;
      if (!(fields as readonly string[]).includes(field)) {
        zctx.addIssue({ code: 'custom', message: `sort must be one of: ${choices}` });
        return z.NEVER;
      }
      return { field: field as F, dir };
    });
}
