import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectCollab } from './connect';

describe('connectCollab', () => {
  it('builds the room URL under /collab from the page origin', () => {
    const provider = connectCollab({
      origin: 'https://app.example.com/models/42',
      modelId: 'm 1',
      doc: new Y.Doc(),
      connect: false,
      params: { t: 'abc' },
      WebSocketImpl: class {} as unknown as typeof WebSocket, // never opened: connect is false
    });
    try {
      expect(provider.url).toBe('wss://app.example.com/collab/m%201?t=abc');
    } finally {
      provider.destroy();
    }
  });
});
