import { GraphBuilder } from '../../../compute/graph/builder';
import type { Graph } from '../../../compute/graph/types';
import { loadCheckpoint } from '../../../compute/export/safetensors/checkpoint';
import type { ParameterSet } from '../../../compute/model/tensor';
import type { HeldJob, JobSpec } from '../../../server/jobs/runner-protocol';

/** A tiny classifier for spirals (2 features, 3 classes) with Dropout, so masks must follow (seed, step). */
export function spiralsGraph(): Graph {
  const g = new GraphBuilder();
  let x = g.add('Input', { shape: [2] });
  x = g.then(g.then(g.then(x, 'Dense', { units: 16 }), 'ReLU'), 'Dropout', { rate: 0.1 });
  const logits = g.then(x, 'Dense', { units: 3 });
  const labels = g.add('Labels', { encoding: 'class-index' });
  const loss = g.add('SoftmaxCrossEntropy');
  g.connect(logits, loss, 'logits');
  g.connect(labels, loss, 'labels');
  return g.build();
}

export const JOB_ID = '65f000000000000000000001';
export const HELD: HeldJob = { jobId: JOB_ID, epoch: 1, unitId: 'unit-0', status: 'ASSIGNED' };

/**
 * Spirals (600 rows; 480 train after the 20% validation split): 15 full batches of 32 per epoch,
 * three epochs = 45 steps. Adam with a cosine schedule, so a resumed run must restore the step too.
 */
export function spiralsSpec(overrides: Partial<JobSpec> = {}): JobSpec {
  return {
    jobId: JOB_ID,
    epoch: 1,
    graph: spiralsGraph(),
    train: { epochs: 3, batchSize: 32, seed: 7, optimizer: { type: 'adam', lr: 0.02 }, schedule: { type: 'cosine', totalSteps: 45, minLr: 0.001 } },
    data: { source: { kind: 'synthetic', name: 'spirals', seed: 1 }, validationFraction: 0.2, testFraction: 0, seed: 7, preprocessing: 'standardize' },
    totalSteps: 45,
    startCheckpoint: null,
    checkpointMetadata: { class_names: '["0","1","2"]' },
    ...overrides,
  };
}

export const STEPS_PER_EPOCH = 15;

/** A small CSV (4 numeric features, 3 classes) for jobs whose data is a downloaded file. */
export function blobsCsv(rows = 90): Uint8Array {
  const lines = ['a,b,c,d,species'];
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    const v = (j: number) => (k * 2 + Math.sin(i * 1.7 + j) * 0.6).toFixed(4);
    lines.push(`${v(0)},${v(1)},${v(2)},${v(3)},class${k}`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

export function weightsOf(checkpoint: Uint8Array): ParameterSet {
  return loadCheckpoint(checkpoint).params;
}

/** The largest |a − b| over every weight of two parameter sets with the same names and shapes. */
export function maxAbsDifference(a: ParameterSet, b: ParameterSet): number {
  if ([...a.keys()].sort().join() !== [...b.keys()].sort().join()) throw new Error('The parameter sets name different tensors');
  let worst = 0;
  for (const [name, t] of a) {
    const other = b.get(name)!.data;
    for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs(t.data[i]! - other[i]!));
  }
  return worst;
}
