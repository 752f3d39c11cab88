import { describe, expect, it } from 'vitest';
import { deriveStatus } from './status';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const machine = { maintenance: false, registeredAt: at(0), jobId: null, lastSeenAt: at(10) };

describe('deriveStatus and a runner that signed off', () => {
  it('is offline at once after a clean stop (even in the instant of its last beat), online again once a heartbeat clears the mark', () => {
    expect(deriveStatus(machine, at(11))).toBe('online');
    expect(deriveStatus({ ...machine, signedOffAt: at(11) }, at(12))).toBe('offline');
    expect(deriveStatus({ ...machine, signedOffAt: at(10) }, at(10))).toBe('offline');
    expect(deriveStatus({ ...machine, signedOffAt: null, lastSeenAt: at(13) }, at(14))).toBe('online');
    // A ban or maintenance still says more than the sign-off.
    expect(deriveStatus({ ...machine, signedOffAt: at(11), maintenance: true }, at(12))).toBe('maintenance');
  });
});
