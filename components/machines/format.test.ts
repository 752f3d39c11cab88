import { describe, expect, it } from 'vitest';
import { formatLastSeen, formatReputation, parseCyxPrice } from './format';

describe('machine page formatting', () => {
  it('reads a typed price into µCYX, or says what is wrong', () => {
    expect(parseCyxPrice(' 1.25 ')).toEqual({ micro: '1250000' });
    expect(parseCyxPrice('0')).toEqual({ micro: '0' });
    expect(parseCyxPrice('-1')).toHaveProperty('error');
    expect(parseCyxPrice('0.0000001')).toHaveProperty('error');
    // The server's cap: 1,000,000 CYX an hour.
    expect(parseCyxPrice('1000000')).toEqual({ micro: '1000000000000' });
    expect(parseCyxPrice('1000000.000001')).toHaveProperty('error');
  });

  it('says how long ago a machine was last heard from', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    expect(formatLastSeen(null, now)).toBe('never');
    expect(formatLastSeen(new Date(now - 2_000).toISOString(), now)).toBe('just now');
    expect(formatLastSeen(new Date(now - 42_000).toISOString(), now)).toBe('42 s ago');
    expect(formatLastSeen(new Date(now - 5 * 60_000).toISOString(), now)).toBe('5 min ago');
    expect(formatLastSeen(new Date(now - 3 * 3_600_000).toISOString(), now)).toBe('3 h ago');
  });

  it('says the jobs and their success rate, or that there were none', () => {
    expect(formatReputation({ jobs: 0, successRate: null })).toBe('no jobs yet');
    expect(formatReputation({ jobs: 8, successRate: 0.875 })).toBe('8 jobs, 88% succeeded');
    expect(formatReputation({ jobs: 1, successRate: 1 })).toBe('1 job, 100% succeeded');
  });
});
