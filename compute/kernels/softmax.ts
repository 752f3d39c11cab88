import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { f32Literal, input, output, requirePositiveInt, type KernelDef } from './types';

/**
 * Row-wise softmax and the fused softmax-cross-entropy loss. One invocation owns one row: rows are
 * examples and class counts are small (tens to a few thousand), so a per-row loop beats a
 * workgroup reduction on CPU adapters and is adequate on GPUs for classifier heads.
 */
export interface SoftmaxParams {
  readonly rows: number;
  readonly cols: number;
}

const validate = (p: SoftmaxParams) => {
  requirePositiveInt('rows', p.rows);
  requirePositiveInt('cols', p.cols);
};

export const softmaxForward: KernelDef<SoftmaxParams> = {
  name: 'softmax.rows',
  op: 'softmax',
  variant: 'portable',
  summary: 'row-wise softmax, max-shifted for stability',
  bindings: () => [input('x', 'logits [rows, cols]'), output('y', 'probabilities [rows, cols]')],
  validate,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.rows, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: softmaxForward.bindings(p),
        items: p.rows,
        body: `  let o = i * ${p.cols}u;
  var mx = x[o];
  for (var c = 1u; c < ${p.cols}u; c = c + 1u) { mx = max(mx, x[o + c]); }
  var sum = 0.0;
  for (var c = 0u; c < ${p.cols}u; c = c + 1u) { let e = exp(x[o + c] - mx); y[o + c] = e; sum = sum + e; }
  let inv = 1.0 / sum;
  for (var c = 0u; c < ${p.cols}u; c = c + 1u) { y[o + c] = y[o + c] * inv; }`,
      },
      caps,
    ),
};

/** Logits [batch, classes] + u32 labels → dLogits = (softmax − onehot)/batch and per-row loss/batch. */
export interface SoftmaxCrossEntropyParams {
  readonly batch: number;
  readonly classes: number;
}

export const softmaxCrossEntropy: KernelDef<SoftmaxCrossEntropyParams> = {
  name: 'softmax-cross-entropy.rows',
  op: 'softmax-cross-entropy',
  variant: 'portable',
  summary: 'fused softmax + cross-entropy: loss and gradient wrt logits in one pass (labels are class indices)',
  bindings: () => [
    input('logits', 'logits [batch, classes]'),
    input('labels', 'class index per row [batch]', 'u32'),
    output('grad', 'dLoss/dLogits [batch, classes], mean over the batch'),
    output('rowLoss', 'per-row loss / batch [batch]; their sum is the mean loss'),
  ],
  validate: (p) => {
    requirePositiveInt('batch', p.batch);
    requirePositiveInt('classes', p.classes);
  },
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.batch, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: softmaxCrossEntropy.bindings(p),
        items: p.batch,
        body: `  let o = i * ${p.classes}u;
  // An out-of-range label is clamped rather than read out of bounds; the host validates labels.
  let label = min(labels[i], ${p.classes - 1}u);
  var mx = logits[o];
  for (var c = 1u; c < ${p.classes}u; c = c + 1u) { mx = max(mx, logits[o + c]); }
  var sum = 0.0;
  for (var c = 0u; c < ${p.classes}u; c = c + 1u) { sum = sum + exp(logits[o + c] - mx); }
  let lse = mx + log(sum);
  let invBatch = ${f32Literal(1 / p.batch)};
  for (var c = 0u; c < ${p.classes}u; c = c + 1u) {
    let prob = exp(logits[o + c] - lse);
    grad[o + c] = (prob - select(0.0, 1.0, c == label)) * invBatch;
  }
  rowLoss[i] = (lse - logits[o + label]) * invBatch;`,
      },
      caps,
    ),
};

export interface MseParams {
  readonly rows: number;
  readonly cols: number;
}

/** Mean squared error over all elements: grad = 2(p − t)/count, rowLoss[r] = Σ_c (p − t)²/count. */
export const meanSquaredError: KernelDef<MseParams> = {
  name: 'mse.rows',
  op: 'mse',
  variant: 'portable',
  summary: 'mean squared error: gradient and per-row loss share in one pass',
  bindings: () => [
    input('prediction', 'prediction [rows, cols]'),
    input('expected', 'target values [rows, cols] ("target" is reserved in WGSL)'),
    output('grad', 'dLoss/dPrediction [rows, cols]'),
    output('rowLoss', 'per-row share of the mean loss [rows]'),
  ],
  validate,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.rows, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: meanSquaredError.bindings(p),
        items: p.rows,
        body: `  let o = i * ${p.cols}u;
  let invCount = ${f32Literal(1 / (p.rows * p.cols))};
  var s = 0.0;
  for (var c = 0u; c < ${p.cols}u; c = c + 1u) {
    let d = prediction[o + c] - expected[o + c];
    grad[o + c] = 2.0 * d * invCount;
    s = s + d * d;
  }
  rowLoss[i] = s * invCount;`,
      },
      caps,
    ),
};
