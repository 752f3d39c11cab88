import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { COLLAB_PATH } from '../path';

export { COLLAB_PATH };

export interface ConnectOptions {
  /** Origin of the web app, e.g. window.location.origin; http(s) becomes ws(s). */
  readonly origin: string;
  /** The model id: one room, one document, per model. */
  readonly modelId: string;
  readonly doc: Y.Doc;
  /** Extra query parameters, e.g. a short-lived room token if the server asks for one. */
  readonly params?: Record<string, string>;
  readonly connect?: boolean;
  /** For Node (bots, benchmarks), which has no global WebSocket before v22: e.g. the `ws` package. */
  readonly WebSocketImpl?: typeof WebSocket;
}

/**
 * Joins a model's room: `ws(s)://<host>/collab/<modelId>`. The session cookie travels with the
 * upgrade request, which is how the server knows who we are (and fills in presence `user`).
 */
export function connectCollab(options: ConnectOptions): WebsocketProvider {
  const url = new URL(COLLAB_PATH, options.origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebsocketProvider(url.toString(), encodeURIComponent(options.modelId), options.doc, {
    connect: options.connect ?? true,
    params: options.params ?? {},
    ...(options.WebSocketImpl ? { WebSocketPolyfill: options.WebSocketImpl } : {}),
  });
}
