import { createHash } from 'node:crypto';
import type { Inventory } from './schema';

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 (hex) of the inventory with its keys sorted: the runner sends it with each heartbeat and
 * the server asks for the whole inventory only when it differs. Pure, so the runner can import it.
 */
export function inventoryHash(inventory: Inventory): string {
  return createHash('sha256').update(canonical(inventory)).digest('hex');
}
