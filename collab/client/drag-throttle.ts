import type * as Y from 'yjs';
import { moveNodes } from '../doc/nodes';
import type { XY } from '../doc/schema';
import { KeyedThrottle } from './keyed-throttle';
import { realScheduler, type Scheduler } from './scheduler';

/** 20 writes per second per node: smooth for peers, and a small fraction of the update budget. */
export const DRAG_WRITE_INTERVAL_MS = 50;

/**
 * Throttles the document writes of a drag. The dragging user sees the node follow the pointer
 * from local state (LocalFlowState.dragging); peers see it at up to 20 updates/s; the final
 * position is always written when the drag ends.
 */
export class DragThrottle {
  private readonly throttle: KeyedThrottle<XY>;

  constructor(doc: Y.Doc, origin: unknown, options: { intervalMs?: number; scheduler?: Scheduler } = {}) {
    this.throttle = new KeyedThrottle<XY>(
      (batch) => {
        moveNodes(doc, batch, origin);
      },
      options.intervalMs ?? DRAG_WRITE_INTERVAL_MS,
      options.scheduler ?? realScheduler,
    );
  }

  /** Positions reported while dragging. */
  move(positions: Iterable<readonly [string, XY]>): void {
    this.throttle.push(positions);
  }

  /** Drag end for these nodes: writes the final position (given, or the last one reported). */
  end(ids: Iterable<string>, finals: ReadonlyMap<string, XY> = new Map()): void {
    this.throttle.finish(ids, finals);
  }

  flush(): void {
    this.throttle.flush();
  }

  dispose(): void {
    this.throttle.dispose();
  }
}
