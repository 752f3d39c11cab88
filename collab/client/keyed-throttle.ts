import { realScheduler, type Scheduler } from './scheduler';

/**
 * Rate-limits writes per key: the first value for a key is written at once (so a drag or cursor
 * responds immediately), later ones at most once per `intervalMs`, and the latest value always
 * wins (a trailing write carries it). Values due at the same moment are written in one batch,
 * so a multi-node drag is one transaction per tick, not one per node.
 */
export class KeyedThrottle<V> {
  private readonly lastWrite = new Map<string, number>();
  private readonly pending = new Map<string, V>();
  private timer: unknown = null;

  constructor(
    private readonly write: (batch: ReadonlyMap<string, V>) => void,
    private readonly intervalMs: number,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  /** Offers new values; each is written now if its key's interval has passed, else later. */
  push(entries: Iterable<readonly [string, V]>): void {
    const now = this.scheduler.now();
    const batch = new Map<string, V>();
    for (const [key, value] of entries) {
      const last = this.lastWrite.get(key);
      if (last === undefined || now - last >= this.intervalMs) {
        batch.set(key, value);
        this.pending.delete(key);
        this.lastWrite.set(key, now);
      } else {
        this.pending.set(key, value);
      }
    }
    if (batch.size > 0) this.write(batch);
    this.schedule();
  }

  /**
   * Ends the keys' bursts: writes their final values (given here, or else the pending ones) right
   * away, regardless of the interval, and forgets them so the next burst starts fresh.
   */
  finish(keys: Iterable<string>, finals: ReadonlyMap<string, V> = new Map()): void {
    const batch = new Map<string, V>();
    for (const key of keys) {
      const value = finals.has(key) ? finals.get(key) : this.pending.get(key);
      if (finals.has(key) || this.pending.has(key)) batch.set(key, value as V);
      this.pending.delete(key);
      this.lastWrite.delete(key);
    }
    if (batch.size > 0) this.write(batch);
    this.schedule();
  }

  /** Writes everything pending now. */
  flush(): void {
    this.finish([...this.pending.keys()]);
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Drops pending values without writing them and cancels the timer. */
  dispose(): void {
    this.pending.clear();
    this.lastWrite.clear();
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const now = this.scheduler.now();
    let wait = Number.POSITIVE_INFINITY;
    for (const key of this.pending.keys()) {
      wait = Math.min(wait, (this.lastWrite.get(key) ?? now) + this.intervalMs - now);
    }
    this.timer = this.scheduler.setTimeout(() => {
      this.timer = null;
      this.writeDue();
    }, Math.max(0, wait));
  }

  private writeDue(): void {
    const now = this.scheduler.now();
    const due = [...this.pending].filter(([key]) => now - (this.lastWrite.get(key) ?? -Infinity) >= this.intervalMs);
    this.push(due); // all due, so push writes them at once and reschedules the rest
  }
}
