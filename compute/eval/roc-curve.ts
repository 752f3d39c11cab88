export interface RocPoint {
  readonly fpr: number;
  readonly tpr: number;
  /** Scores >= threshold count as positive; null for the (0, 0) start, above every score. */
  readonly threshold: number | null;
}

export interface RocCurve {
  /** From (0, 0) to (1, 1); empty when AUC is undefined. */
  readonly points: RocPoint[];
  /** Area under the curve; null when only one of the two classes is present. */
  readonly auc: number | null;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * ROC curve of scores against a positive/negative split, and its area by the trapezoid rule.
 *
 * Equal scores form one step (a diagonal segment), so a tie between a positive and a negative earns
 * half credit: the area then equals the Mann-Whitney probability that a random positive outscores a
 * random negative. Points on a straight line between their neighbours are dropped (scikit-learn's
 * drop_intermediate); that keeps every corner, so the curve and its area are unchanged.
 */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<boolean>): RocCurve {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return { points: [], auc: null, positives, negatives };

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  // Integer counts per distinct threshold, so the collinearity test below is exact.
  const tps = [0];
  const fps = [0];
  const thresholds: (number | null)[] = [null];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; ) {
    const s = scores[order[i]!]!;
    while (i < n && scores[order[i]!]! === s) {
      if (positive[order[i]!]) tp++;
      else fp++;
      i++;
    }
    tps.push(tp);
    fps.push(fp);
    thresholds.push(s);
  }

  let auc = 0;
  for (let j = 1; j < tps.length; j++) auc += (fps[j]! - fps[j - 1]!) * (tps[j]! + tps[j - 1]!);
  auc /= 2 * positives * negatives;

  const points: RocPoint[] = [];
  const last = tps.length - 1;
  let kept = 0;
  for (let j = 0; j <= last; j++) {
    if (j > 0 && j < last) {
      const collinear = (fps[j]! - fps[kept]!) * (tps[j + 1]! - tps[j]!) === (tps[j]! - tps[kept]!) * (fps[j + 1]! - fps[j]!);
      if (collinear) continue;
    }
    kept = j;
    points.push({ fpr: fps[j]! / negatives, tpr: tps[j]! / positives, threshold: thresholds[j]! });
  }
  return { points, auc, positives, negatives };
}
