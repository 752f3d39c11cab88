import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../auth/api-keys';

export const MACHINE_CREDENTIAL_PREFIX = 'cyxm_';
const CREDENTIAL_PATTERN = /^cyxm_[A-Za-z0-9_-]{43}$/;

/** A new machine credential: 256 random bits; only its hash is stored. */
export function newMachineCredential(): { credential: string; hash: string } {
  const credential = MACHINE_CREDENTIAL_PREFIX + randomBytes(32).toString('base64url');
  return { credential, hash: sha256Hex(credential) };
}

export function isMachineCredential(bearer: string): boolean {
  return bearer.startsWith(MACHINE_CREDENTIAL_PREFIX);
}

export function looksLikeMachineCredential(bearer: string): boolean {
  return CREDENTIAL_PATTERN.test(bearer);
}
