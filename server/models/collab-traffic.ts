import type { Duplex } from 'node:stream';

/**
 * Bytes through the collaboration sockets, for the admin health page: read passively from each
 * socket's own counters (bytesRead / bytesWritten) rather than by listening to its data, which would
 * race the WebSocket server for the first frames. Totals only grow; the page takes a rate from two
 * readings. Process-wide (a global slot): the socket server and the routers live in different bundles.
 */
interface Traffic {
  live: Set<Duplex & { bytesRead?: number; bytesWritten?: number }>;
  closedBytesIn: number;
  closedBytesOut: number;
}

function traffic(): Traffic {
  const slot = globalThis as unknown as { __cyxwizCollabTraffic?: Traffic };
  return (slot.__cyxwizCollabTraffic ??= { live: new Set(), closedBytesIn: 0, closedBytesOut: 0 });
}

export function trackCollabSocket(socket: Duplex): void {
  const t = traffic();
  const counted = socket as Duplex & { bytesRead?: number; bytesWritten?: number };
  t.live.add(counted);
  socket.once('close', () => {
    t.live.delete(counted);
    t.closedBytesIn += counted.bytesRead ?? 0;
    t.closedBytesOut += counted.bytesWritten ?? 0;
  });
}

export function collabTraffic(): { bytesIn: number; bytesOut: number } {
  const t = traffic();
  let bytesIn = t.closedBytesIn;
  let bytesOut = t.closedBytesOut;
  for (const socket of t.live) {
    bytesIn += socket.bytesRead ?? 0;
    bytesOut += socket.bytesWritten ?? 0;
  }
  return { bytesIn, bytesOut };
}
