'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import { skipToken } from '@tanstack/react-query';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';
import { useTRPC } from '../trpc/client';
import { mergePoints } from './job-format';

type Outputs = inferRouterOutputs<AppRouter>;
export type JobListItem = Outputs['jobs']['list'][number];
export type JobDetail = Outputs['jobs']['detail'];
export type WatchedJob = Outputs['jobs']['get'];
type Update = { job: WatchedJob; points: Point[]; lastSeq: number; final: boolean };
export type Point = { seq: number; step: number; epochIndex: number; loss: number | null; accuracy: number | null; valLoss: number | null; valAccuracy: number | null; samplesPerSecond: number | null; etaSeconds: number | null; machineId: string; at: string };

/**
 * jobs.watch for one job: its latest view and (withPoints) every progress point so far, kept in
 * order. The link reconnects by itself after a drop, resuming after the last update it got.
 */
export function useJobWatch(id: string | null, withPoints: boolean) {
  const trpc = useTRPC();
  const [job, setJob] = useState<WatchedJob | null>(null);
  const [points, setPoints] = useState<Point[]>([]);
  const [final, setFinal] = useState(false);
  const subscription = useSubscription(
    trpc.jobs.watch.subscriptionOptions(id === null ? skipToken : { id, withPoints }, {
      onData: (tracked) => {
        const update = (tracked as { data: Update }).data;
        setJob(update.job);
        if (update.points.length) setPoints((shown) => mergePoints(shown, update.points));
        if (update.final) setFinal(true);
      },
    }),
  );
  return { job, points, final, status: subscription.status, error: subscription.error };
}
