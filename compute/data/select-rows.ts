import { featureSize, labelSize, type Dataset } from './dataset';

/** A new dataset holding the given examples, in the given order (copies, so the source is untouched). */
export function selectRows<D extends Dataset>(dataset: D, rows: ArrayLike<number>): D {
  const width = featureSize(dataset);
  const labelWidth = labelSize(dataset);
  const features = new Float32Array(rows.length * width);
  const labels = dataset.task === 'classification' ? new Int32Array(rows.length) : new Float32Array(rows.length * labelWidth);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    features.set(dataset.features.subarray(row * width, (row + 1) * width), i * width);
    labels.set(dataset.labels.subarray(row * labelWidth, (row + 1) * labelWidth), i * labelWidth);
  }
  return { ...dataset, size: rows.length, features, labels };
}
