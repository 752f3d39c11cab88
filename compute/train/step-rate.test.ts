import { describe, expect, it } from 'vitest';
import { ActiveClock, etaMs, recentStepRate, StepRate } from './step-rate';

/** Reports every `every` steps at `msPerStep`, starting from a given step and time. */
function steady(fromStep: number, fromMs: number, count: number, every: number, msPerStep: number) {
  return Array.from({ length: count }, (_, i) => ({ step: fromStep + (i + 1) * every, activeMs: fromMs + (i + 1) * every * msPerStep }));
}

describe('step rate and ETA', () => {
  it('measures steps per second from first to last report and projects the steps left', () => {
    const points = steady(0, 1000, 5, 10, 10); // 10 ms a step
    expect(recentStepRate(points)).toBeCloseTo(100, 9);
    // 50 done of 250: 200 steps at 100 steps/s.
    expect(etaMs(points, 250)).toBeCloseTo(2000, 6);
    expect(etaMs(points, 40)).toBe(0);
    expect(recentStepRate(points.slice(0, 1))).toBeUndefined();
    expect(etaMs([], 100)).toBeUndefined();
  });

  it('is not fooled by readbacks that resolve in a burst (the old per-window rate ran the ETA 3x short)', () => {
    // 10 steps a report, 100 ms a report, except that every third report lands 0.1 ms after the one before it.
    const points: { step: number; activeMs: number }[] = [];
    let t = 0;
    for (let i = 1; i <= 12; i++) {
      t += i % 3 === 0 ? 0.1 : 150;
      points.push({ step: i * 10, activeMs: t });
    }
    const trueRate = (points.at(-1)!.step - points[0]!.step) / ((points.at(-1)!.activeMs - points[0]!.activeMs) / 1000);
    expect(recentStepRate(points)).toBeCloseTo(trueRate, 9);
    const last = points.at(-1)!;
    const lastWindowRate = 10 / ((last.activeMs - points.at(-2)!.activeMs) / 1000);
    expect(lastWindowRate / trueRate).toBeGreaterThan(100); // what a per-window rate would have said
    expect(etaMs(points, 1120)).toBeCloseTo((1000 / trueRate) * 1000, 6);
  });

  it('forgets reports older than the window, keeping at least two', () => {
    const slow = steady(0, 0, 10, 10, 100); // 10 steps/s for 10 s
    const fast = steady(100, 10_000, 10, 10, 5); // then 200 steps/s for 0.5 s
    const points = [...slow, ...fast];
    expect(recentStepRate(points, { windowMs: 400 })).toBeCloseTo(200, 6);
    expect(recentStepRate(points, { windowMs: 1e9 })).toBeCloseTo(190 / 9.5, 6);
    expect(recentStepRate(points, { windowMs: 1e9, maxPoints: 3 })).toBeCloseTo(200, 6);
    expect(recentStepRate(fast.slice(-2), { windowMs: 1 })).toBeCloseTo(200, 6);
  });

  it('leaves out the first report (shader compiles and the first slow steps)', () => {
    const record = (rate: StepRate) => {
      rate.record(10, 5000); // compile, then 10 steps
      rate.record(20, 5600); // first steps still slow: 60 ms a step
      for (const p of steady(20, 5600, 5, 10, 10)) rate.record(p.step, p.activeMs);
      return rate;
    };
    expect(record(new StepRate()).stepsPerSecond()).toBeCloseTo(100, 6);
    expect(record(new StepRate({ skip: 0 })).stepsPerSecond()).toBeCloseTo(60 / 1.1, 6);
    const early = new StepRate();
    early.record(10, 5000);
    early.record(20, 5100);
    expect(early.stepsPerSecond()).toBeUndefined();
    expect(early.etaMs(100)).toBeUndefined();
  });

  it('measures active time: a paused stretch does not count', () => {
    let t = 1000;
    const clock = new ActiveClock(() => t);
    t = 1500;
    expect(clock.read()).toBe(1500);
    clock.pause();
    expect(clock.paused).toBe(true);
    t = 9000;
    expect(clock.read()).toBe(1500);
    clock.resume();
    t = 9200;
    expect(clock.read()).toBe(1700);
    clock.resume();
    expect(clock.read()).toBe(1700);
  });
});
