import { EvalError } from './eval-error';

/** Class indices must be integers in [0, classes); a label outside would silently vanish from every count. */
export function checkLabels(labels: ArrayLike<number>, classes: number): void {
  if (!Number.isInteger(classes) || classes < 1) throw new EvalError('EVAL_BAD_CLASS_COUNT', `Class count must be a positive integer, got ${classes}.`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new EvalError('EVAL_LABEL_OUT_OF_RANGE', `Label ${y} of example ${i} is not a class index in 0..${classes - 1}.`, i);
    }
  }
}

/** NaN sorts nowhere and compares false with everything, so it would corrupt ROC order and argmax alike. */
export function checkFinite(values: ArrayLike<number>, width: number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      const row = Math.floor(i / width);
      throw new EvalError('EVAL_NON_FINITE_OUTPUT', `The model's ${what} for example ${row} include ${values[i]}; the model has likely diverged.`, row);
    }
  }
}

export function checkRowCount(values: ArrayLike<number>, width: number, rows: number, what: string): void {
  if (values.length !== rows * width) {
    throw new EvalError('EVAL_LENGTH_MISMATCH', `Got ${values.length} ${what} for ${rows} examples of width ${width}; expected ${rows * width}.`);
  }
}
