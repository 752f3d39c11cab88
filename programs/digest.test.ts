import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a64, instructionDigest } from './digest';

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64-bit test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('agrees with a plain bigint FNV-1a over TextEncoder bytes for any text', () => {
    const reference = (text: string) => {
      let hash = 0xcbf29ce484222325n;
      for (const byte of new TextEncoder().encode(text)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
      return hash.toString(16).padStart(16, '0');
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => fnv1a64(text) === reference(text)), { numRuns: 300 });
    expect(fnv1a64('é😀')).toBe(reference('é😀'));
    expect(fnv1a64('a\ud800b\udc00')).toBe(reference('a\ud800b\udc00'));
  });
});

describe('instructionDigest', () => {
  const base = { kind: 'transfer', key: 't1', at: 5, from: 'a', to: 'b', amount: 10n } as const;

  it('ignores the time the executor received the instruction', () => {
    expect(instructionDigest({ ...base, at: 99 })).toBe(instructionDigest(base));
  });

  it('changes with any field of the content', () => {
    expect(instructionDigest({ ...base, amount: 11n })).not.toBe(instructionDigest(base));
    expect(instructionDigest({ ...base, to: 'c' })).not.toBe(instructionDigest(base));
    expect(instructionDigest({ ...base, memo: 'x' })).not.toBe(instructionDigest(base));
  });
});
