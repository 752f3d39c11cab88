import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserQuota } from './user-quota';

afterEach(() => {
  vi.useRealTimers();
});

describe('UserQuota', () => {
  it('caps sockets per user, not across users, and frees a slot on release', () => {
    const quota = new UserQuota({ maxSockets: 2, bytesPerSecond: 100, bytesBurst: 1000 });
    expect(quota.acquire('a')).not.toBeNull();
    expect(quota.acquire('a')).not.toBeNull();
    expect(quota.acquire('a')).toBeNull();
    expect(quota.acquire('b')).not.toBeNull();
    quota.release('a');
    expect(quota.acquire('a')).not.toBeNull();
    quota.clear();
  });

  it('gives all of a user’s sockets one byte budget, which reconnecting does not refill', () => {
    vi.useFakeTimers();
    const quota = new UserQuota({ maxSockets: 5, bytesPerSecond: 100, bytesBurst: 1000 }, () => Date.now());
    const first = quota.acquire('a')!;
    const second = quota.acquire('a')!;
    expect(first.take(600)).toBe(true);
    expect(second.take(600)).toBe(false);
    quota.release('a');
    quota.release('a');
    // Back at once: the same, drained, bucket.
    expect(quota.acquire('a')!.take(600)).toBe(false);
    quota.release('a');
    // Once it would have refilled (burst / rate = 10 s) the entry may go: a full budget either way.
    vi.advanceTimersByTime(10_001);
    expect(quota.sockets('a')).toBe(0);
    expect(quota.acquire('a')!.take(1000)).toBe(true);
    quota.clear();
  });
});
