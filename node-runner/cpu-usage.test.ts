import { describe, expect, it } from 'vitest';
import { cpuPercentBetween, readCpuTimes } from './cpu-usage';

const core = (user: number, idle: number) => ({ model: 'x', speed: 1, times: { user, nice: 0, sys: 0, irq: 0, idle } });

describe('CPU usage', () => {
  it('is the busy share of the time that passed between two readings, over all cores', () => {
    const before = readCpuTimes([core(100, 900), core(0, 1000)]);
    const after = readCpuTimes([core(250, 950), core(50, 1050)]);
    // busy +200 of +300 total
    expect(cpuPercentBetween(before, after)).toBeCloseTo((200 / 300) * 100, 6);
  });

  it('is 0 when no time passed, and never outside 0..100', () => {
    const t = readCpuTimes([core(5, 5)]);
    expect(cpuPercentBetween(t, t)).toBe(0);
    expect(cpuPercentBetween({ busy: 0, total: 0 }, { busy: 50, total: 10 })).toBe(100);
  });
});
