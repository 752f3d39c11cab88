import type { Awareness } from 'y-protocols/awareness';
import type { XY } from '../doc/schema';
import { KeyedThrottle } from './keyed-throttle';
import { setPresenceCursor } from './presence';
import { realScheduler, type Scheduler } from './scheduler';

/** Cursor updates per second sent to peers; pointer events fire far more often. */
export const CURSOR_INTERVAL_MS = 50;

const KEY = 'cursor';

/**
 * Throttles cursor broadcasts: at most one per interval, the latest position always sent last,
 * and leaving the canvas (null) sent at once so peers do not see a cursor frozen at the edge.
 */
export class CursorThrottle {
  private readonly throttle: KeyedThrottle<XY | null>;

  constructor(awareness: Awareness, options: { intervalMs?: number; scheduler?: Scheduler } = {}) {
    this.throttle = new KeyedThrottle<XY | null>(
      (batch) => setPresenceCursor(awareness, batch.get(KEY) ?? null),
      options.intervalMs ?? CURSOR_INTERVAL_MS,
      options.scheduler ?? realScheduler,
    );
  }

  move(cursor: XY | null): void {
    if (cursor === null) this.throttle.finish([KEY], new Map([[KEY, null]]));
    else this.throttle.push([[KEY, cursor]]);
  }

  flush(): void {
    this.throttle.flush();
  }

  dispose(): void {
    this.throttle.dispose();
  }
}
