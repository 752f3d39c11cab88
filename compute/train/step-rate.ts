/** One progress report: steps done by then, and the run's active (not paused) time in ms. */
export interface StepTime {
  readonly step: number;
  readonly activeMs: number;
}

export interface StepRateOptions {
  /** Reports left out at the start: shader compiles and the first slow steps. */
  readonly skip?: number;
  /** Only reports within this much active time before the latest count. */
  readonly windowMs?: number;
  /** And at most this many of the latest reports. */
  readonly maxPoints?: number;
}

export const STEP_RATE_DEFAULTS = { skip: 1, windowMs: 15_000, maxPoints: 50 } as const;

/**
 * Steps per second over the recent reports (a moving window), or undefined before there are two.
 * Measured from first to last report of the window, so reports that land together (metric
 * readbacks resolve in bursts) and per-epoch evaluation are averaged in rather than skewing it.
 */
export function recentStepRate(points: readonly StepTime[], options: StepRateOptions = {}): number | undefined {
  const windowMs = options.windowMs ?? STEP_RATE_DEFAULTS.windowMs;
  const maxPoints = options.maxPoints ?? STEP_RATE_DEFAULTS.maxPoints;
  const last = points.at(-1);
  if (!last || points.length < 2) return undefined;
  let first = Math.max(0, points.length - maxPoints);
  while (first < points.length - 2 && points[first]!.activeMs < last.activeMs - windowMs) first++;
  const start = points[first]!;
  const seconds = (last.activeMs - start.activeMs) / 1000;
  const steps = last.step - start.step;
  return seconds > 0 && steps > 0 ? steps / seconds : undefined;
}

/** Milliseconds of active time left to reach totalSteps at the recent rate, or undefined. */
export function etaMs(points: readonly StepTime[], totalSteps: number, options: StepRateOptions = {}): number | undefined {
  const rate = recentStepRate(points, options);
  const last = points.at(-1);
  if (rate === undefined || !last) return undefined;
  return (Math.max(0, totalSteps - last.step) / rate) * 1000;
}

/** Keeps the reports the rate needs: drops the first `skip`, then holds at most `maxPoints`. */
export class StepRate {
  private readonly points: StepTime[] = [];
  private seen = 0;
  private readonly options: Required<StepRateOptions>;

  constructor(options: StepRateOptions = {}) {
    this.options = { ...STEP_RATE_DEFAULTS, ...options };
  }

  record(step: number, activeMs: number): void {
    if (this.seen++ < this.options.skip) return;
    this.points.push({ step, activeMs });
    if (this.points.length > this.options.maxPoints) this.points.shift();
  }

  stepsPerSecond(): number | undefined {
    return recentStepRate(this.points, this.options);
  }

  etaMs(totalSteps: number): number | undefined {
    return etaMs(this.points, totalSteps, this.options);
  }
}

/** Wall time with paused stretches taken out: what step rates and ETAs are measured in. */
export class ActiveClock {
  private pausedTotal = 0;
  private pausedSince: number | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  pause(): void {
    this.pausedSince ??= this.now();
  }

  resume(): void {
    if (this.pausedSince === undefined) return;
    this.pausedTotal += this.now() - this.pausedSince;
    this.pausedSince = undefined;
  }

  get paused(): boolean {
    return this.pausedSince !== undefined;
  }

  /** Active ms so far (frozen while paused). */
  read(): number {
    return (this.pausedSince ?? this.now()) - this.pausedTotal;
  }
}
