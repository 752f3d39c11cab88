import type { IncomingMessage } from 'node:http';

/**
 * How much of a refused body we read and discard before closing, and for how long at most. A few
 * MiB was not enough on loopback: the server discarded them before the client's event loop had
 * read the answer (13 of 100 sign-ups with a 64 MiB body then saw ECONNRESET instead of 413).
 */
export const DRAIN_BYTES = 64 * 1024 * 1024;
export const DRAIN_MS = 1_000;

/**
 * After answering a request whose body was not read (a refused upload), keeps reading and
 * discarding it for a moment before closing the connection. Closing at once makes the kernel reset
 * a socket the client is still writing to, and a reset throws away the answer the client has not
 * yet read, so it sees EPIPE instead of 413 (nginx's lingering close solves the same). A body that
 * ends within the bounds leaves the connection usable; past them it is closed.
 */
export function drainUnreadBody(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return;
  let drained = 0;
  const close = () => req.socket.destroy();
  const timer = setTimeout(close, DRAIN_MS);
  req.on('data', (chunk: Buffer) => {
    drained += chunk.byteLength;
    if (drained > DRAIN_BYTES) close();
  });
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
  req.resume();
}
