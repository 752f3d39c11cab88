import type { Clock } from '../clock';

/**
 * A clock that moves only when the test says so. `nextSleep()` resolves with the duration of the
 * next sleep the code under test starts; `advance(ms)` wakes every sleeper whose time has come.
 */
export class ManualClock implements Clock {
  private time: number;
  private sleepers: { until: number; wake: () => void }[] = [];
  private waiting: ((ms: number) => void)[] = [];
  private claimed = 0;
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve) => {
      const sleeper = { until: this.time + ms, wake: resolve };
      if (signal?.aborted) return resolve();
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      }, { once: true });
      this.sleepers.push(sleeper);
      this.waiting.shift()?.(ms);
    });
  }

  /** The next sleep started from now on, or one already waiting that no one has asked about yet. */
  nextSleep(): Promise<number> {
    const unclaimed = this.sleeps.length - this.claimed;
    if (unclaimed > 0) return Promise.resolve(this.sleeps[this.claimed++]!);
    return new Promise((resolve) => this.waiting.push((ms) => {
      this.claimed++;
      resolve(ms);
    }));
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.until <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.until > this.time);
    for (const s of due) s.wake();
  }
}
