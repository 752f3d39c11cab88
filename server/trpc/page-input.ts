import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../db/newest-first-page';

/** `cursor` + `limit` of a newest-first list (tRPC's infinite queries fill in `cursor`). */
export const pageInput = z.object({
  cursor: z.string().regex(/^[0-9a-f]{24}$/i, 'That page cursor is not valid; start from the first page.').nullish(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE, `Pages hold at most ${MAX_PAGE_SIZE} items.`).optional(),
});
