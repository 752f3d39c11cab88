/** Settings as TrainConfig holds them. */
export interface EarlyStoppingConfig {
  readonly enabled: boolean;
  readonly patience: number;
  readonly minDelta: number;
}

export interface EarlyStoppingVerdict {
  /** This epoch is the new best: keep its weights. */
  readonly improved: boolean;
  /** `patience` epochs in a row without improvement: end the run. */
  readonly stop: boolean;
}

/**
 * Watches validation loss epoch by epoch. An epoch improves when its loss is below the best so far
 * by more than minDelta (the first finite loss always does); a non-finite loss never improves.
 */
export class EarlyStopping {
  bestEpoch: number | undefined;
  bestLoss = Number.POSITIVE_INFINITY;
  private sinceBest = 0;

  constructor(private readonly config: Pick<EarlyStoppingConfig, 'patience' | 'minDelta'>) {}

  observe(epoch: number, validationLoss: number): EarlyStoppingVerdict {
    const improved = Number.isFinite(validationLoss) && (this.bestEpoch === undefined || validationLoss < this.bestLoss - this.config.minDelta);
    if (improved) {
      this.bestEpoch = epoch;
      this.bestLoss = validationLoss;
      this.sinceBest = 0;
    } else {
      this.sinceBest++;
    }
    return { improved, stop: this.sinceBest >= this.config.patience };
  }
}
