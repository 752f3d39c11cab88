import { describe, expect, it } from 'vitest';
import { deriveStatus } from './status';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const machine = { maintenance: false, registeredAt: at(0), jobId: null, lastSeenAt: at(10) };

describe('deriveStatus and a runner that signed off', () => {
  it('is offline at once after a clean stop, and online again with its next heartbeat', () => {
    expect(deriveStatus(machine, at(11))).toBe('online');
    expect(deriveStatus({ ...machine, signedOffAt: at(11) }, at(12))).toBe('offline');
    // Signed off in the same instant as its last beat: still going away.
    expect(deriveStatus({ ...machine, signedOffAt: at(10) }, at(11))).toBe('offline');
    expect(deriveStatus({ ...machine, signedOffAt: at(11), lastSeenAt: at(13) }, at(14))).toBe('online');
  });
});
