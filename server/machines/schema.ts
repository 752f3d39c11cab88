import { z } from 'zod';
import type { UnitSpeed } from '../jobs/unit-speed';

/**
 * What a node-runner reports about its machine, with hard limits: a runner is software someone else
 * controls, so absurd values (negative VRAM, 10,000 GPUs, megabyte strings) are refused with the
 * field rather than stored.
 */
const text = (max: number) => z.string().max(max, `Use at most ${max} characters.`);
const int = (min: number, max: number) => z.number().int('Use a whole number.').min(min, `Use at least ${min}.`).max(max, `Use at most ${max}.`);
const percent = z.number().min(0, 'Use 0 to 100.').max(100, 'Use 0 to 100.');

export const MAX_GPUS = 16;
export const MAX_ADAPTER_LIMITS = 64;
export const MAX_RAM_BYTES = 2 ** 50;
export const MAX_VRAM_BYTES = 2 ** 44;
/** µCYX per hour: a million CYX an hour is far beyond any real price. */
export const MAX_PRICE_MICRO = 10n ** 12n;

export const WebGpuAdapterSchema = z.object({
  vendor: text(200),
  architecture: text(200),
  description: text(200),
  isFallback: z.boolean(),
  limits: z
    .record(text(100), z.number().refine(Number.isFinite, 'Use a finite number.'))
    .refine((limits) => Object.keys(limits).length <= MAX_ADAPTER_LIMITS, `Send at most ${MAX_ADAPTER_LIMITS} limits.`),
});

export const NvidiaGpuSchema = z.object({
  name: text(200),
  vramBytes: int(0, MAX_VRAM_BYTES),
  driver: text(50),
  cuda: text(20),
});

/** Where a runner trains: WGSL on a Dawn adapter, or PyTorch on CUDA or on the CPU (node-runner/backend-choice.ts). */
export const RUNNER_BACKENDS = ['dawn', 'torch-cuda', 'torch-cpu'] as const;
export type RunnerBackend = (typeof RUNNER_BACKENDS)[number];

export const InventorySchema = z.object({
  os: z.object({ platform: text(100), release: text(100), arch: text(100) }),
  cpu: z.object({ model: text(200), cores: int(1, 1024), threads: int(1, 4096) }),
  ramBytes: int(0, MAX_RAM_BYTES),
  webgpu: z.array(WebGpuAdapterSchema).max(MAX_GPUS, `Send at most ${MAX_GPUS} WebGPU adapters.`),
  nvidia: z.array(NvidiaGpuSchema).max(MAX_GPUS, `Send at most ${MAX_GPUS} NVIDIA GPUs.`),
  /** The backend the runner chose; absent from runners older than the choice, or with none available. */
  backend: z.enum(RUNNER_BACKENDS, { message: `Use one of ${RUNNER_BACKENDS.join(', ')}.` }).optional(),
});
export type Inventory = z.infer<typeof InventorySchema>;

export const GpuMetricsSchema = z.object({
  index: int(0, MAX_GPUS - 1),
  utilPercent: percent,
  memUsedBytes: int(0, MAX_VRAM_BYTES),
  tempC: z.number().min(-50).max(150).optional(),
  powerW: z.number().min(0).max(5000).optional(),
});

export const MetricsSchema = z.object({
  cpuPercent: percent,
  ramUsedBytes: int(0, MAX_RAM_BYTES),
  gpus: z.array(GpuMetricsSchema).max(MAX_GPUS, `Send at most ${MAX_GPUS} GPUs.`),
  job: z.object({ id: text(100).min(1), progress: z.number().min(0).max(1) }).nullable(),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export const MachineNameSchema = z.string().trim().min(1, 'Give the machine a name.').max(80, 'Machine names are at most 80 characters.');

/** µCYX as a decimal string: money is never a float. */
export const PriceMicroSchema = z
  .string()
  .regex(/^\d{1,13}$/, 'Give the price per hour in µCYX as a whole number.')
  .refine((s) => BigInt(s) <= MAX_PRICE_MICRO, `The price is at most ${MAX_PRICE_MICRO} µCYX per hour.`)
  .transform((s) => BigInt(s).toString());

export const RegisterInputSchema = z.object({
  name: MachineNameSchema,
  pricePerHourMicro: PriceMicroSchema,
  inventory: InventorySchema,
  /** UnitView.index values to offer (see units.ts for the order); the others are stored paused, offering nothing. */
  offer: z.object({ unitIndexes: z.array(int(0, 2 * MAX_GPUS)).max(2 * MAX_GPUS + 1) }),
});

export const HeartbeatInputSchema = z.object({
  metrics: MetricsSchema,
  /** inventoryHash() of what the runner sees now: a different one asks it to send runner.inventory. */
  inventoryHash: z.string().max(100).optional(),
  /** The machine the runner believes it is; one that is not the credential's is refused (403). */
  machineId: z.string().max(100).optional(),
});

export const IdSchema = z.string().trim().min(1).max(100);

export type MachineStatus = 'online' | 'offline' | 'maintenance' | 'inactive' | 'busy' | 'banned';
export type UnitStatus = 'active' | 'paused';

export interface UnitView {
  id: string;
  kind: 'gpu' | 'cpu';
  /** Its place in the machine's units: GPUs 0..n-1 (NVIDIA first, as nvidia-smi numbers them), then the CPU. */
  index: number;
  device: string;
  /** Memory of the device: VRAM for a GPU (0 when only WebGPU saw it and cannot say), RAM for the CPU unit. */
  vramBytes: number;
  vramOffered: number;
  vramReserved: number;
  status: UnitStatus;
  tasksCompleted: number;
  earningsMicro: string;
  /** Its training throughput: measured by the platform from verified checkpoints, else the device-class estimate (lists and detail fill it in). */
  speed?: UnitSpeed;
}

export interface MachineView {
  id: string;
  name: string;
  os: Inventory['os'];
  /** Where its runner trains, as it reported; null from runners older than the choice. */
  backend: RunnerBackend | null;
  status: MachineStatus;
  lastSeenAt: string | null;
  pricePerHourMicro: string;
  stakeMicro: string;
  reputation: { jobs: number; successRate: number | null };
  maintenance: boolean;
  units: UnitView[];
  metrics: Metrics | null;
}

/** One point of the utilisation chart: the busiest GPU's utilisation (null without GPUs). */
export interface UtilisationSample {
  at: string;
  cpuPercent: number;
  gpuPercent: number | null;
  ramUsedBytes: number;
}

export interface MachineDetail extends MachineView {
  inventory: Inventory;
  samples: UtilisationSample[];
}
