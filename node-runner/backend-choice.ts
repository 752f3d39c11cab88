import { RUNNER_BACKENDS, type RunnerBackend } from '../server/machines/schema';
import { EXIT_USAGE, RunnerError } from './runner-error';
import { TORCH_INSTALL_HINT } from './torch/torch-process';

/**
 * Which backend this runner trains on. In order: a real (non-fallback) Dawn adapter runs our WGSL
 * on that GPU; else an NVIDIA GPU that torch can reach runs PyTorch on CUDA (many GPU machines have
 * no Vulkan for Dawn, e.g. containers without the driver's graphics capability); else PyTorch on the
 * CPU, about an order of magnitude faster than Dawn's software adapter there (npm run bench:runner);
 * else Dawn's CPU adapter. Pure: the facts come from backend-probe.ts.
 */
export type Backend = RunnerBackend;
export type BackendFlag = Backend | 'auto';
export const BACKEND_FLAGS: readonly BackendFlag[] = [...RUNNER_BACKENDS, 'auto'];

export interface BackendFacts {
  readonly webgpu: readonly { readonly isFallback: boolean; readonly vendor: string; readonly description: string }[];
  readonly nvidia: readonly { readonly name: string }[];
  /** The torch executor's Python (with torch) is there. */
  readonly torchInstalled: boolean;
  /** torch.cuda.is_available(), where it was asked (see needsCudaProbe); undefined otherwise. */
  readonly torchCuda: boolean | undefined;
}

export type BackendChoice = { readonly backend: Backend; readonly reason: string } | { readonly backend: null; readonly reason: string };

export const DAWN_INSTALL_HINT =
  "install libvulkan1 and the GPU's Vulkan driver; for Dawn's CPU adapter, SwiftShader's Vulkan ICD (apt-get install libvulkan1 chromium, or point VK_ICD_FILENAMES at a vk_swiftshader_icd.json)";
export const NVIDIA_HINT = 'install the NVIDIA driver so that `nvidia-smi` lists the GPU (in a container: run it with the GPUs, e.g. docker run --gpus all)';

export function parseBackendFlag(text: string | undefined): BackendFlag {
  if (text === undefined) return 'auto';
  const flag = BACKEND_FLAGS.find((b) => b === text);
  if (!flag) throw new RunnerError('BACKEND_INVALID', `--backend takes one of ${BACKEND_FLAGS.join(', ')}, got "${text}".`, EXIT_USAGE);
  return flag;
}

/** Whether the choice depends on torch.cuda.is_available(), which costs a torch import (seconds) to learn. */
export function needsCudaProbe(facts: Omit<BackendFacts, 'torchCuda'>, flag: BackendFlag): boolean {
  if (!facts.torchInstalled || facts.nvidia.length === 0) return false;
  return flag === 'torch-cuda' || (flag === 'auto' && !facts.webgpu.some((a) => !a.isFallback));
}

/** The backend for `flag`; a forced one that is missing is a BACKEND_UNAVAILABLE naming what is missing and how to install it. */
export function chooseBackend(facts: BackendFacts, flag: BackendFlag = 'auto'): BackendChoice {
  const gpuAdapter = facts.webgpu.find((a) => !a.isFallback);
  const anyAdapter = gpuAdapter ?? facts.webgpu[0];
  const cuda = facts.nvidia.length > 0 && facts.torchInstalled && facts.torchCuda === true;
  const adapterName = (a: { vendor: string; description: string }) => [a.vendor, a.description].filter(Boolean).join(' ') || 'unnamed adapter';
  switch (flag) {
    case 'dawn':
      if (!anyAdapter) throw unavailable('dawn', `Dawn found no WebGPU adapter: ${DAWN_INSTALL_HINT}`);
      return { backend: 'dawn', reason: `forced; WGSL on ${gpuAdapter ? '' : "Dawn's CPU adapter "}${adapterName(anyAdapter)}` };
    case 'torch-cuda':
      if (facts.nvidia.length === 0) throw unavailable('torch-cuda', `nvidia-smi finds no NVIDIA GPU: ${NVIDIA_HINT}`);
      if (!facts.torchInstalled) throw unavailable('torch-cuda', `PyTorch is not installed: ${TORCH_INSTALL_HINT}`);
      if (!cuda) {
        throw unavailable('torch-cuda', `torch.cuda.is_available() is false although nvidia-smi lists ${facts.nvidia[0]!.name}: check that the driver is new enough for the CUDA of torch's wheel (nvidia-smi shows the driver's CUDA version) and that this is a CUDA build of torch (${TORCH_INSTALL_HINT})`);
      }
      return { backend: 'torch-cuda', reason: `forced; PyTorch on ${facts.nvidia[0]!.name}` };
    case 'torch-cpu':
      if (!facts.torchInstalled) throw unavailable('torch-cpu', `PyTorch is not installed: ${TORCH_INSTALL_HINT}`);
      return { backend: 'torch-cpu', reason: 'forced; PyTorch on the CPU' };
    case 'auto':
      if (gpuAdapter) return { backend: 'dawn', reason: `WGSL on the GPU adapter ${adapterName(gpuAdapter)}` };
      if (cuda) return { backend: 'torch-cuda', reason: `PyTorch on ${facts.nvidia[0]!.name}; Dawn has no GPU adapter here` };
      if (facts.torchInstalled) return { backend: 'torch-cpu', reason: `PyTorch on the CPU; ${facts.nvidia.length > 0 ? 'torch sees no CUDA' : 'no GPU found'}` };
      if (anyAdapter) return { backend: 'dawn', reason: `WGSL on Dawn's CPU adapter ${adapterName(anyAdapter)}; no GPU found and PyTorch is not installed: ${TORCH_INSTALL_HINT}` };
      return { backend: null, reason: `Dawn found no WebGPU adapter: ${DAWN_INSTALL_HINT}; PyTorch is not installed: ${TORCH_INSTALL_HINT}` };
  }
}

function unavailable(backend: Backend, why: string): RunnerError {
  return new RunnerError('BACKEND_UNAVAILABLE', `--backend ${backend} is not available here. ${why}.`);
}
