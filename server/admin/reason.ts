import { z } from 'zod';

export const REASON_MIN = 3;
export const REASON_MAX = 200;

/** Every admin action says why, and the audit log keeps it. */
export const reasonSchema = z
  .string()
  .trim()
  .min(REASON_MIN, `Say why (at least ${REASON_MIN} characters); the audit log keeps it.`)
  .max(REASON_MAX, `Keep the reason to ${REASON_MAX} characters or fewer.`);
