'use client';

import { useReactFlow, type Viewport } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useSyncExternalStore, type RefObject } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { fitRemoteViewport, followStoreFor, peerViewport, ViewportThrottle, type FollowTarget } from '@/collab/client';

const noSubscription = () => () => {};
const nobody = () => null;

/** Whom this tab follows (see FollowStore); null while there is no awareness or nobody is followed. */
export function useFollowTarget(awareness: Awareness | null): FollowTarget | null {
  const store = awareness ? followStoreFor(awareness) : null;
  return useSyncExternalStore(store?.subscribe ?? noSubscription, store?.getSnapshot ?? nobody, store?.getSnapshot ?? nobody);
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-3;

/**
 * The canvas side of following: publishes this canvas's viewport and size (throttled like cursors),
 * and while this tab follows someone, moves the view whenever their viewport changes (or this
 * canvas is resized), fitting their visible area into this canvas. Esc, or the person panning or
 * zooming themselves (onMoveStart with an event), stops following.
 */
export function useViewportFollow(options: {
  awareness: Awareness;
  containerRef: RefObject<HTMLDivElement | null>;
  /** Set while following, so the fit-on-resize of an opened model leaves the view alone. */
  touchedRef: RefObject<boolean>;
  limits: { minZoom: number; maxZoom: number };
}) {
  const { awareness, containerRef, touchedRef, limits } = options;
  const flow = useReactFlow();
  const store = followStoreFor(awareness);
  const target = useFollowTarget(awareness);
  const throttle = useMemo(() => new ViewportThrottle(awareness), [awareness]);
  useEffect(() => () => throttle.dispose(), [throttle]);
  const { minZoom, maxZoom } = limits;

  const size = useCallback(() => {
    const el = containerRef.current;
    return el && el.clientWidth > 0 && el.clientHeight > 0 ? { width: el.clientWidth, height: el.clientHeight } : null;
  }, [containerRef]);

  const publish = useCallback(
    (viewport?: Viewport) => {
      const s = size();
      if (s) throttle.publish({ ...(viewport ?? flow.getViewport()), ...s });
    },
    [size, throttle, flow],
  );

  const apply = useCallback(() => {
    const t = store.getSnapshot();
    const s = size();
    if (!t || !s) return;
    const remote = peerViewport(awareness, t.clientId);
    if (!remote) return;
    const next = fitRemoteViewport(remote, s, { minZoom, maxZoom });
    const cur = flow.getViewport();
    if (close(cur.x, next.x) && close(cur.y, next.y) && close(cur.zoom, next.zoom)) return;
    void flow.setViewport(next, { duration: 0 });
  }, [store, size, awareness, flow, minZoom, maxZoom]);

  // Publish on mount and whenever the canvas changes size; a follower also refits then.
  useEffect(() => {
    const el = containerRef.current;
    publish();
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      publish();
      apply();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [containerRef, publish, apply]);

  useEffect(() => {
    if (!target) return;
    touchedRef.current = true;
    apply();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') store.stop();
    };
    awareness.on('change', apply);
    window.addEventListener('keydown', onKey);
    return () => {
      awareness.off('change', apply);
      window.removeEventListener('keydown', onKey);
    };
  }, [target, awareness, apply, store, touchedRef]);

  return {
    target,
    stop: () => store.stop(),
    /** For ReactFlow's onMove: every view change, the person's or programmatic. */
    onMove: (_event: unknown, viewport: Viewport) => publish(viewport),
    /** For ReactFlow's onMoveStart: only a person's own pan or zoom carries an event. */
    onMoveStart: (event: unknown) => {
      if (event) store.stop();
    },
  };
}
