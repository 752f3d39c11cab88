import type { LrSchedule } from '../../layers/lr-schedules';
import type { OptimizerConfig } from '../../layers/optimizers';
import type { ModelPlan } from '../../model/plan';
import { pyFloat, pyString } from './python-names';

export interface TrainCodeOptions {
  readonly className?: string;
  /** Module name the script imports the model from. Default 'model' (model.py). */
  readonly moduleName?: string;
  readonly optimizer?: OptimizerConfig;
  readonly schedule?: LrSchedule;
  readonly epochs?: number;
  readonly batchSize?: number;
}

const DEFAULT_OPTIMIZER: OptimizerConfig = { type: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

/**
 * train.py: loads a CSV (features flattened in CyxWiz order, label last), optionally starts from
 * CyxWiz weights, trains with the same optimizer and learning-rate schedule, and saves the result
 * back in CyxWiz names and layouts. The schedule is a LambdaLR of our own formula so the rate
 * matches CyxWiz step for step (torch's cosine scheduler rises again after T_max; ours holds).
 */
export function generateTrainCode(plan: ModelPlan, options: TrainCodeOptions = {}): string {
  const className = options.className ?? 'CyxWizModel';
  const moduleName = options.moduleName ?? 'model';
  const optimizer = options.optimizer ?? DEFAULT_OPTIMIZER;
  const schedule = options.schedule ?? { type: 'constant' };
  const simple = plan.inputs.length === 1 && plan.labels.length === 1 && plan.outputs.length === 1;
  const output = plan.outputs[0];
  const classification = output?.lossType === 'SoftmaxCrossEntropy';

  return `"""Trains the CyxWiz model in PyTorch.

    python train.py data.csv [--weights model.safetensors] [--epochs N] [--batch-size N] [--out trained.safetensors]

Each CSV row holds one example's features flattened in CyxWiz order (HWC for images) and the
${classification ? 'class label' : 'target values'} in the last ${classification ? 'column' : 'columns'}. Apply the same normalisation you used in CyxWiz.
"""
import argparse
import math

import numpy as np
import torch
import torch.nn.functional as F

from ${moduleName} import INPUT_SHAPES, OUTPUTS, ${className}, load_cyxwiz_weights, save_cyxwiz_weights

OPTIMIZER = ${pyDict(optimizer)}
SCHEDULE = ${pyDict(schedule)}
EPOCHS = ${options.epochs ?? 10}
BATCH_SIZE = ${options.batchSize ?? 32}


def make_optimizer(model):
    params = model.parameters()
    if OPTIMIZER["type"] == "sgd":
        return torch.optim.SGD(params, lr=OPTIMIZER["lr"], momentum=OPTIMIZER["momentum"], weight_decay=OPTIMIZER["weightDecay"], nesterov=OPTIMIZER["nesterov"])
    betas = (OPTIMIZER["beta1"], OPTIMIZER["beta2"])
    if OPTIMIZER["type"] == "adamw":
        return torch.optim.AdamW(params, lr=OPTIMIZER["lr"], betas=betas, eps=OPTIMIZER["eps"], weight_decay=OPTIMIZER["weightDecay"])
    return torch.optim.Adam(params, lr=OPTIMIZER["lr"], betas=betas, eps=OPTIMIZER["eps"], weight_decay=OPTIMIZER["weightDecay"])


def lr_factor(step):
    """CyxWiz's learningRateAt(schedule, lr, step) / lr."""
    base = OPTIMIZER["lr"]
    if SCHEDULE["type"] == "step":
        return SCHEDULE["gamma"] ** (step // SCHEDULE["stepSize"])
    if SCHEDULE["type"] == "cosine":
        progress = min(step, SCHEDULE["totalSteps"]) / SCHEDULE["totalSteps"]
        return (SCHEDULE["minLr"] + (base - SCHEDULE["minLr"]) * (1 + math.cos(math.pi * progress)) / 2) / base
    return 1.0


def load_data(path, skip_header):
    ${simple ? `table = np.genfromtxt(path, delimiter=",", skip_header=skip_header, dtype=np.float64)
    if table.ndim == 1:
        table = table[None, :]
    (input_id, shape), = INPUT_SHAPES.items()
    width = int(np.prod(shape))
    features = torch.tensor(table[:, :width], dtype=torch.float32).reshape(-1, *shape)
    ${classification ? `# Classes are remapped to 0..K-1 in ascending order, as CyxWiz does.
    _, labels = np.unique(table[:, width:].reshape(-1), return_inverse=True)
    labels = torch.tensor(labels, dtype=torch.long)` : `labels = torch.tensor(table[:, width:], dtype=torch.float32)`}
    return features, labels` : `raise NotImplementedError("This model has several inputs or losses; write a loader returning (features, labels) tensors")`}


def loss_fn(output, labels):
    ${classification ? 'return F.cross_entropy(output, labels)' : 'return F.mse_loss(output, labels.reshape(output.shape))'}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--weights", help="CyxWiz weights to start from")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--skip-header", type=int, default=0)
    parser.add_argument("--out", default="trained.safetensors")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    model = ${className}()
    if args.weights:
        load_cyxwiz_weights(model, args.weights)
    features, labels = load_data(args.data, args.skip_header)
    optimizer = make_optimizer(model)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)
    print(f"training on {len(features)} examples; outputs: {[loss_id for loss_id, _, _ in OUTPUTS]}")
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(features))
        total = 0.0
        for start in range(0, len(features), args.batch_size):
            batch = order[start:start + args.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(features[batch]), labels[batch])
            loss.backward()
            optimizer.step()
            scheduler.step()
            total += loss.item() * len(batch)
        model.eval()
        with torch.no_grad():
            output = model(features)
            summary = f"loss {loss_fn(output, labels).item():.4f}"
            ${classification ? `summary += f", accuracy {(output.argmax(dim=-1) == labels).float().mean().item():.3f}"` : 'pass'}
        print(f"epoch {epoch + 1}: train loss {total / len(features):.4f}, {summary}")
    save_cyxwiz_weights(model, args.out)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
`;
}

/** A JSON-ish config as a Python dict literal (booleans and numbers converted). */
function pyDict(value: object): string {
  const entries = Object.entries(value).map(([k, v]) => {
    const literal = typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'number' ? pyFloatOrInt(v) : pyString(String(v));
    return `${pyString(k)}: ${literal}`;
  });
  return `{${entries.join(', ')}}`;
}

function pyFloatOrInt(v: number): string {
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : pyFloat(v);
}
