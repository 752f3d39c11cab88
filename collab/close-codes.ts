/**
 * WebSocket close codes the collaboration server sends and the client acts on. 4000-4999 are the
 * application's; the 44xx ones mirror the HTTP status they resemble. 1009 is sent by `ws` itself
 * when one message is larger than the server accepts.
 */
export const CLOSE = {
  SHUTTING_DOWN: 1001,
  MESSAGE_TOO_BIG: 1009,
  BAD_MESSAGE: 4400,
  ACCESS_REVOKED: 4403,
  DOCUMENT_TOO_LARGE: 4413,
  RATE_LIMITED: 4429,
  TOO_MUCH_DATA: 4430,
} as const;
