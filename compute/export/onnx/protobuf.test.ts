import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './protobuf';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

describe('ProtoWriter', () => {
  it('encodes varints, including int64 negatives as ten bytes', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('08 96 01');
    expect(hex(new ProtoWriter().int(2, -1).finish())).toBe('10 ff ff ff ff ff ff ff ff ff 01');
    expect(hex(new ProtoWriter().int(1, 2n ** 40n).finish())).toBe('08 80 80 80 80 80 20');
  });

  it('encodes strings, packed ints, floats and nested messages length-delimited', () => {
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67');
    expect(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish())).toBe('22 06 03 8e 02 9e a7 05');
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('15 00 00 80 3f');
    const inner = new ProtoWriter().int(1, 150).finish();
    expect(hex(new ProtoWriter().message(3, inner).int(1, 1).finish())).toBe('1a 03 08 96 01 08 01');
  });
});
