/**
 * A request body that streams `fill` bytes of "a" in `chunk`-sized pieces, between an optional
 * prefix and suffix (so it can be valid JSON), with no Content-Length; `stats` says how much of it
 * the reader pulled and whether it cancelled.
 */
export function countingStream(fill: number, opts: { chunk?: number; prefix?: string; suffix?: string } = {}) {
  const chunk = opts.chunk ?? 64 * 1024;
  const encoder = new TextEncoder();
  const stats = { pulled: 0, cancelled: false };
  let filled = 0;
  let stage: 'prefix' | 'fill' | 'suffix' | 'done' = opts.prefix ? 'prefix' : 'fill';
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        let piece: Uint8Array | null = null;
        if (stage === 'prefix') {
          piece = encoder.encode(opts.prefix);
          stage = 'fill';
        } else if (stage === 'fill' && filled < fill) {
          piece = new Uint8Array(Math.min(chunk, fill - filled)).fill(0x61);
          filled += piece.byteLength;
        } else if (stage !== 'done' && opts.suffix) {
          piece = encoder.encode(opts.suffix);
          stage = 'done';
        }
        if (!piece) return controller.close();
        stats.pulled += piece.byteLength;
        controller.enqueue(piece);
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}
