import { createNodeGpu } from '../../compute/gpu/node-device';
import { GpuRuntime } from '../../compute/gpu/runtime';
import type { Backend } from '../backend-choice';
import { TorchExecutor } from '../torch/torch-executor';
import { DawnTrainer } from './dawn-trainer';
import type { JobTrainer } from './job-trainer';
import { TorchTrainer } from './torch-trainer';

/** The trainer for the chosen backend: Dawn's first adapter, or the torch executor on CPU or CUDA. */
export async function createJobTrainer(backend: Backend): Promise<JobTrainer> {
  if (backend === 'dawn') {
    const gpu = await createNodeGpu();
    const name = [gpu.adapterInfo.vendor, gpu.adapterInfo.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return new DawnTrainer(new GpuRuntime(gpu.device), `WGSL on ${name}${gpu.isFallbackAdapter ? " (Dawn's CPU adapter)" : ''}`, undefined, () => gpu.destroy());
  }
  const executor = await TorchExecutor.start({ device: backend === 'torch-cuda' ? 'cuda' : 'cpu' });
  return new TorchTrainer(backend, executor, `PyTorch ${executor.process.info.torch} on ${executor.process.info.device}`);
}
