import { CollabDocError } from './errors';
import type { JsonValue, XY } from './schema';

/**
 * Deep-copies a value into plain JSON, throwing on anything else. Values stored in a Y.Map are
 * shared by reference locally, so copying keeps callers from mutating document state in place, and
 * rejecting functions, NaN or class instances keeps every replica able to decode what we write.
 */
export function toJsonValue(value: unknown, path: string): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CollabDocError('INVALID_VALUE', `${path} must be a finite number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => toJsonValue(v, `${path}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toJsonValue(v, `${path}.${k}`);
    }
    return out;
  }
  throw new CollabDocError('INVALID_VALUE', `${path} is not a JSON value (got ${typeof value})`);
}

export function toXY(value: unknown, path: string): XY {
  const v = value as { x?: unknown; y?: unknown } | null;
  if (!v || typeof v.x !== 'number' || typeof v.y !== 'number' || !Number.isFinite(v.x) || !Number.isFinite(v.y)) {
    throw new CollabDocError('INVALID_VALUE', `${path} must be {x, y} with finite numbers`);
  }
  return { x: v.x, y: v.y };
}

export function isXY(value: unknown): value is XY {
  const v = value as { x?: unknown; y?: unknown } | null;
  return !!v && typeof v === 'object' && Number.isFinite(v.x) && Number.isFinite(v.y);
}

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v as JsonValue, b[i] as JsonValue));
  }
  const ao = a as Record<string, JsonValue>;
  const bo = b as Record<string, JsonValue>;
  const ak = Object.keys(ao);
  return ak.length === Object.keys(bo).length && ak.every((k) => k in bo && jsonEqual(ao[k], bo[k]));
}
