import type { IncomingMessage } from 'node:http';

/**
 * A Node request body as a web stream that reads the socket only as fast as the handler pulls.
 * Cancelling it (a refused oversized body) pauses the socket instead of destroying it, so the
 * refusal can still be written and read (see drain-unread-body.ts); events that arrive after the
 * cancel are dropped rather than pushed into the closed stream.
 */
export function requestBodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  const stop = () => {
    finished = true;
    req.off('data', onData);
    req.pause();
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Buffer) => {
    if (finished) return;
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        req.pause();
        req.on('data', onData);
        req.once('end', () => {
          if (finished) return;
          finished = true;
          controller.close();
        });
        req.once('error', (error) => {
          if (finished) return;
          finished = true;
          controller.error(error);
        });
        req.once('close', () => {
          if (finished || req.complete) return;
          finished = true;
          controller.error(new Error('The client closed the connection before the body was sent.'));
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        stop();
      },
    },
    { highWaterMark: 1 },
  );
}
