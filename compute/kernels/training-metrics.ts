import { input, output, requirePositiveInt, bindingDeclarations, type BindingDesc, type KernelDef } from './types';

/**
 * Accumulates a training step's metrics on the GPU so they can be read back every N steps instead
 * of every step: metrics = [Σ loss, Σ correct, Σ samples, Σ steps]. One invocation: a batch's loss
 * rows and arg-maxes are a few thousand operations, far less than a dispatch costs to split.
 * Only the primary loss counts samples, steps and (for classification) correct predictions; other
 * losses add their loss. Arg-max ties go to the lowest class index, as in the CPU trainer.
 */
export interface TrainingMetricsParams {
  readonly batch: number;
  /** Classes of the logits, for accuracy; 0 for a regression loss. */
  readonly classes: number;
  readonly primary: boolean;
}

function bindings(p: TrainingMetricsParams): BindingDesc[] {
  return [
    input('rowLoss', 'per-row loss share [batch] (sums to the batch mean loss)'),
    ...(p.classes > 0 && p.primary ? [input('logits', 'logits [batch, classes]'), input('labels', 'class index per row', 'u32')] : []),
    output('metrics', '[loss sum, correct, samples, steps], accumulated in place'),
  ];
}

export const trainingMetrics: KernelDef<TrainingMetricsParams> = {
  name: 'metrics.accumulate',
  op: 'training-metrics',
  variant: 'portable',
  summary: 'adds a step loss (and arg-max accuracy) to a metrics accumulator on the GPU',
  bindings,
  validate: (p) => {
    requirePositiveInt('batch', p.batch);
    if (!Number.isInteger(p.classes) || p.classes < 0) throw new RangeError(`classes must be a whole number, got ${p.classes}`);
  },
  workgroupSize: () => [1, 1, 1],
  workgroups: () => [1, 1, 1],
  wgsl: (p) => {
    const accuracy = p.classes > 0 && p.primary;
    return /* wgsl */ `
${bindingDeclarations(bindings(p))}
@compute @workgroup_size(1, 1, 1)
fn main() {
  var s = 0.0;
  for (var r = 0u; r < ${p.batch}u; r = r + 1u) { s = s + rowLoss[r]; }
  metrics[0] = metrics[0] + s;
${accuracy ? `  var correct = 0u;
  for (var r = 0u; r < ${p.batch}u; r = r + 1u) {
    let o = r * ${p.classes}u;
    var best = 0u;
    for (var c = 1u; c < ${p.classes}u; c = c + 1u) { if (logits[o + c] > logits[o + best]) { best = c; } }
    if (best == labels[r]) { correct = correct + 1u; }
  }
  metrics[1] = metrics[1] + f32(correct);` : ''}
${p.primary ? `  metrics[2] = metrics[2] + ${p.batch}.0;\n  metrics[3] = metrics[3] + 1.0;` : ''}
}`;
  },
};
