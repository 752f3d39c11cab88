import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type RoomRole = 'owner' | 'editor' | 'viewer';

/** What a ticket lets its holder do: join one model's room, as one user, in one role, until `exp`. */
export interface TicketClaims {
  modelId: string;
  userId: string;
  name: string;
  role: RoomRole;
  /** Expiry, milliseconds since the epoch. */
  exp: number;
}

export type TicketErrorCode = 'TICKET_MISSING' | 'TICKET_MALFORMED' | 'TICKET_FORGED' | 'TICKET_EXPIRED' | 'TICKET_WRONG_ROOM';

export class TicketError extends Error {
  constructor(readonly code: TicketErrorCode, message: string) {
    super(message);
    this.name = 'TicketError';
  }
}

export const TICKET_TTL_MS = 5 * 60_000;

// A key of its own, derived from the app secret, so a ticket can never pass as a session token.
function ticketKey(secret: string): Buffer {
  return createHash('sha256').update(`cyxwiz collab ticket\0${secret}`).digest();
}

function mac(body: string, secret: string): Buffer {
  return createHmac('sha256', ticketKey(secret)).update(body).digest();
}

export function signTicket(claims: TicketClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

/** Checks signature, expiry and room; returns the claims or throws a TicketError with a stable code. */
export function verifyTicket(ticket: string | null | undefined, secret: string, modelId: string, now = Date.now()): TicketClaims {
  if (!ticket) throw new TicketError('TICKET_MISSING', 'A collaboration ticket is required.');
  const [body, signature, extra] = ticket.split('.');
  if (!body || !signature || extra !== undefined || ticket.length > 2048) throw new TicketError('TICKET_MALFORMED', 'The collaboration ticket is malformed.');
  const expected = mac(body, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TicketError('TICKET_FORGED', 'The collaboration ticket is not valid.');
  }
  let claims: TicketClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TicketClaims;
  } catch {
    throw new TicketError('TICKET_MALFORMED', 'The collaboration ticket is malformed.');
  }
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new TicketError('TICKET_EXPIRED', 'The collaboration ticket has expired.');
  if (claims.modelId !== modelId) throw new TicketError('TICKET_WRONG_ROOM', 'The collaboration ticket is for another model.');
  return claims;
}
