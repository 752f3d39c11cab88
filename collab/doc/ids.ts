/**
 * Fresh ids for nodes and edges. Random rather than counters because peers create ids
 * concurrently without talking to each other. Uses getRandomValues, which (unlike randomUUID)
 * exists outside secure contexts too, e.g. a dev server opened on a LAN address.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newId(prefix: string): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${out}`;
}
