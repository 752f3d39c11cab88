/**
 * The GPU half of scripts/device-check.sh: lists Dawn's adapters and nvidia-smi's GPUs, fails when
 * neither offers a real GPU, then trains the 784-256-128-10 MLP (batch 128, Adam lr 0.001, seed 1,
 * synthetic blobs as in scripts/bench-runner.ts) for two epochs of STEPS steps on Dawn's GPU adapter
 * (train()) and on torch-cuda (trainOnTorch), and prints the second epoch's samples/s and their
 * ratio as ONE JSON line, last.
 */
import { makeBlobs } from '../compute/data/synthetic';
import { mlpClassifier } from '../compute/graph/examples';
import { createNodeGpu } from '../compute/gpu/node-device';
import { GpuRuntime } from '../compute/gpu/runtime';
import { train } from '../compute/train/train';
import type { TrainConfigInput } from '../compute/train/train-config';
import { queryNvidiaInventory } from '../node-runner/nvidia-smi';
import { TorchExecutor } from '../node-runner/torch/torch-executor';
import { trainOnTorch } from '../node-runner/torch/torch-training';
import { probeWebgpuAdapters } from '../node-runner/webgpu-adapters';

const STEPS = 40;
const BATCH = 128;
const graph = () => mlpClassifier(784, [256, 128], 10);
const config: TrainConfigInput = { epochs: 2, batchSize: BATCH, seed: 1, evaluateEveryEpoch: false, optimizer: { type: 'adam', lr: 0.001 }, metricsEvery: STEPS };
const data = () => ({ train: makeBlobs({ numClasses: 10, numFeatures: 784, pointsPerClass: Math.ceil((STEPS * BATCH) / 10), spread: 1, centerRange: 1, seed: 3 }) });

async function main(): Promise<number> {
  const adapters = await probeWebgpuAdapters();
  for (const a of adapters) console.log(`Dawn adapter: ${a.vendor} ${a.architecture} (${a.description})${a.isFallback ? ' [fallback/CPU]' : ''}`);
  if (adapters.length === 0) console.log('Dawn adapter: none');
  const gpus = await queryNvidiaInventory().catch(() => []);
  for (const g of gpus) console.log(`CUDA device: ${g.name}, ${Math.round(g.vramBytes / 2 ** 30)} GiB, driver ${g.driver}, CUDA ${g.cuda}`);
  if (gpus.length === 0) console.log('CUDA device: none (nvidia-smi found no GPU)');
  const realAdapter = adapters.find((a) => !a.isFallback);
  if (!realAdapter && gpus.length === 0) {
    console.error('device-check: FAILED: no GPU found (no non-fallback Dawn adapter, no nvidia-smi GPU). This check is for a machine with a GPU.');
    return 1;
  }
  const result: Record<string, unknown> = { check: 'device', model: '784-256-128-10', batch: BATCH, stepsPerEpoch: STEPS, adapter: realAdapter ?? null, cuda: gpus.map((g) => g.name) };
  let failed = false;
  if (realAdapter) {
    const gpu = await createNodeGpu();
    try {
      const run = train(graph(), data(), config, { device: new GpuRuntime(gpu.device) });
      const done = await run.done;
      run.dispose();
      result['dawnGpu'] = { samplesPerSecond: Math.round(done.epochs[1]!.samplesPerSecond), epochLosses: done.epochs.map((e) => Number(e.loss.toFixed(4))) };
    } finally {
      gpu.destroy();
    }
  } else {
    result['dawnGpu'] = null;
  }
  if (gpus.length > 0) {
    const executor = await TorchExecutor.start({ device: 'cuda' });
    try {
      if (!executor.process.info.cuda) throw new Error('torch.cuda.is_available() is false');
      const done = await trainOnTorch(graph(), data(), config, { executor });
      result['torchCuda'] = { torch: executor.process.info.torch, samplesPerSecond: Math.round(done.epochs[1]!.samplesPerSecond), epochLosses: done.epochs.map((e) => Number(e.loss.toFixed(4))) };
    } catch (error) {
      failed = true;
      result['torchCuda'] = { error: error instanceof Error ? error.message : String(error) };
    } finally {
      await executor.shutdown();
    }
  }
  const dawn = (result['dawnGpu'] as { samplesPerSecond?: number } | null)?.samplesPerSecond;
  const torch = (result['torchCuda'] as { samplesPerSecond?: number } | undefined)?.samplesPerSecond;
  result['dawnOverTorchCuda'] = dawn && torch ? Number((dawn / torch).toFixed(3)) : null;
  console.log(JSON.stringify(result));
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error('device-check: FAILED:', error);
  process.exit(1);
});
