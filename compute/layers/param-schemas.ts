import { z } from 'zod';

/**
 * Building blocks for layer params. Every field carries a default, bounds and a .describe() text,
 * because the editor renders its parameter forms from these schemas.
 */

/** Upper bound for any single dimension or unit count: large enough for real models, small enough to catch typos like 1e9. */
export const MAX_DIM = 65_536;

export function intParam(description: string, defaultValue: number, min: number, max: number) {
  return z.number().int().min(min).max(max).default(defaultValue).describe(description);
}

export function shapeParam(description: string, defaultValue: number[]) {
  return z.array(z.number().int().min(1).max(MAX_DIM)).min(1).max(4).default(defaultValue).describe(description);
}

/** A function, not a shared schema: zod keeps .describe() text on the instance, and .default() makes a new one. */
export function initParam(defaultValue: 'glorot' | 'he') {
  return z
    .enum(['glorot', 'he'])
    .default(defaultValue)
    .describe("Weight initialisation: 'glorot' (uniform, suits tanh/sigmoid) or 'he' (normal, suits ReLU)");
}

export const useBiasParam = z.boolean().default(true).describe('Add a learned bias to each output');

export const noParams = z.object({});
