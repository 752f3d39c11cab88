import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface PresenceIdentity {
  id: string;
  name: string;
  color: string;
  role: 'owner' | 'editor' | 'viewer';
}

const PALETTE = ['#e11d48', '#2563eb', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#4f46e5'];

function paletteSlot(userId: string): number {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % PALETTE.length;
}

/** A stable colour per user, the same on every screen. */
export function colorFor(userId: string): string {
  return PALETTE[paletteSlot(userId)]!;
}

/**
 * The colour a user gets on joining a room, the same on every screen because the server decides
 * it: the user's own colour (colorFor), unless someone else in the room already has it, then the
 * next free one in the palette. A user with another tab open keeps that tab's colour. Only once
 * the palette is used up do two people share a colour.
 */
export function roomColorFor(userId: string, present: readonly { readonly id: string; readonly color: string }[]): string {
  const same = present.find((p) => p.id === userId);
  if (same) return same.color;
  const taken = new Set(present.map((p) => p.color));
  const start = paletteSlot(userId);
  for (let i = 0; i < PALETTE.length; i++) {
    const color = PALETTE[(start + i) % PALETTE.length]!;
    if (!taken.has(color)) return color;
  }
  return PALETTE[start]!;
}

const MAX_STATE_BYTES = 8 * 1024;

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    if (json.length > MAX_STATE_BYTES) throw new Error('awareness state too large');
    const state = JSON.parse(json) as unknown;
    entries.push({ clientId, clock, state: state && typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>) : null });
  }
  return entries;
}

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Makes a client's awareness update speak only for its own connection: entries for client ids that
 * belong to another connection are dropped, and `user` is replaced by the identity the server
 * authenticated, so nobody can appear as someone else.
 */
export function guardAwarenessUpdate(
  update: Uint8Array,
  identity: PresenceIdentity,
  ownsClientId: (clientId: number) => boolean,
): { update: Uint8Array; clientIds: number[] } | null {
  let entries: AwarenessEntry[];
  try {
    entries = decodeAwarenessUpdate(update);
  } catch {
    return null;
  }
  const kept = entries
    .filter((e) => ownsClientId(e.clientId))
    .map((e) => ({ ...e, state: e.state === null ? null : { ...e.state, user: { id: identity.id, name: identity.name, color: identity.color, role: identity.role } } }));
  if (kept.length === 0) return null;
  return { update: encodeAwarenessEntries(kept), clientIds: kept.map((e) => e.clientId) };
}
