import { type Instruction } from './instructions';
import { instructionFields } from './instruction-codec';

/**
 * FNV-1a 64-bit over the UTF-8 bytes of `text`, as 16 hex digits. Computed in four 16-bit limbs so it
 * stays in exact double arithmetic: no bigint in the hot path and no `node:crypto` (programs/ is pure).
 */
export function fnv1a64(text: string): string {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const mix = (byte: number) => {
    h0 ^= byte;
    // h * 0x100000001b3: the prime's limbs are 0x01b3 (bits 0-15) and 0x0100 (bits 32-47).
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  };
  for (let index = 0; index < text.length; index++) {
    let code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const low = text.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        index++;
      }
    }
    // A lone surrogate is not text; encode it as U+FFFD, as TextEncoder does.
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    if (code < 0x80) mix(code);
    else if (code < 0x800) {
      mix(0xc0 | (code >> 6));
      mix(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      mix(0xe0 | (code >> 12));
      mix(0x80 | ((code >> 6) & 0x3f));
      mix(0x80 | (code & 0x3f));
    } else {
      mix(0xf0 | (code >> 18));
      mix(0x80 | ((code >> 12) & 0x3f));
      mix(0x80 | ((code >> 6) & 0x3f));
      mix(0x80 | (code & 0x3f));
    }
  }
  const hex = (limb: number) => limb.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/**
 * The canonical content of an instruction for idempotency: its own fields in a fixed order, bigints
 * as decimal strings. `at` is left out on purpose: it is when the executor received the instruction,
 * so a client's retry of the same operation (same key, later clock) is a repeat, not a conflict.
 */
export function canonicalInstructionText(i: Instruction): string {
  const source = i as unknown as Record<string, unknown>;
  const parts: unknown[] = [];
  for (const field of instructionFields(i.kind)) {
    if (field === 'at') continue;
    const value = source[field];
    if (value === undefined) continue;
    parts.push(field, typeof value === 'bigint' ? value.toString() : value);
  }
  return JSON.stringify(parts);
}

export function instructionDigest(i: Instruction): string {
  return fnv1a64(canonicalInstructionText(i));
}
