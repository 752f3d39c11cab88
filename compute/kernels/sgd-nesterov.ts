import { sgdKernel } from './optimizers';

/**
 * PyTorch's Nesterov SGD, fused: g' = g + λp; v = μv + g'; p -= lr·(g' + μv).
 * Uses the same uniform layout as optimizer.sgd-momentum (sgdUniforms).
 */
export const sgdNesterovUpdate = sgdKernel({
  name: 'optimizer.sgd-nesterov',
  op: 'sgd-nesterov',
  summary: "Nesterov SGD with L2 weight decay: v = μv + g'; p -= lr·(g' + μv)",
  body: `  let pv = param[i];
  let g = grad[i] + hyper.weightDecay * pv;
  let v = hyper.momentum * velocity[i] + g;
  velocity[i] = v;
  param[i] = pv - hyper.lr * (g + hyper.momentum * v);`,
});
