import { execFile } from 'node:child_process';

/**
 * NVIDIA GPUs as `nvidia-smi` reports them. CSV with `noheader,nounits` gives one line per GPU in
 * the order of the query fields; a value the board does not report reads "[N/A]" or "[Not Supported]".
 */
export const INVENTORY_FIELDS = ['index', 'name', 'memory.total', 'driver_version'] as const;
export const METRICS_FIELDS = ['index', 'utilization.gpu', 'memory.used', 'temperature.gpu', 'power.draw'] as const;

export interface NvidiaGpu {
  name: string;
  vramBytes: number;
  driver: string;
  cuda: string;
}

export interface NvidiaGpuMetrics {
  index: number;
  utilPercent: number;
  memUsedBytes: number;
  tempC?: number;
  powerW?: number;
}

const MIB = 1024 * 1024;

function rows(csv: string, width: number): string[][] {
  return csv
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.split(',').map((cell) => cell.trim()))
    .filter((cells) => cells.length === width);
}

/** A reported number, or undefined for "[N/A]", "[Not Supported]" and anything else that is not one. */
function reported(cell: string | undefined): number | undefined {
  if (cell === undefined || cell === '' || cell.startsWith('[')) return undefined;
  const n = Number(cell);
  return Number.isFinite(n) ? n : undefined;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** The CUDA version from the banner of plain `nvidia-smi` ("CUDA Version: 12.4"), or '' when absent. */
export function parseCudaVersion(banner: string): string {
  return /CUDA Version:\s*([0-9][0-9.]*)/.exec(banner)?.[1] ?? '';
}

export function parseInventoryCsv(csv: string, cuda: string): NvidiaGpu[] {
  return rows(csv, INVENTORY_FIELDS.length).map(([, name, memoryMib, driver]) => ({
    name: name!.slice(0, 200),
    vramBytes: Math.max(0, Math.round((reported(memoryMib) ?? 0) * MIB)),
    driver: driver!.slice(0, 50),
    cuda: cuda.slice(0, 20),
  }));
}

export function parseMetricsCsv(csv: string): NvidiaGpuMetrics[] {
  return rows(csv, METRICS_FIELDS.length).flatMap(([index, util, memUsed, temp, power]) => {
    const i = reported(index);
    if (i === undefined || !Number.isInteger(i)) return [];
    const tempC = reported(temp);
    const powerW = reported(power);
    return [
      {
        index: i,
        utilPercent: clamp(reported(util) ?? 0, 0, 100),
        memUsedBytes: Math.max(0, Math.round((reported(memUsed) ?? 0) * MIB)),
        ...(tempC === undefined ? {} : { tempC: clamp(tempC, -50, 150) }),
        ...(powerW === undefined ? {} : { powerW: clamp(powerW, 0, 5000) }),
      },
    ];
  });
}

/** Runs nvidia-smi; null when it is not on PATH or fails (no NVIDIA driver): the machine simply has no NVIDIA GPUs. */
export function runNvidiaSmi(args: readonly string[], timeoutMs = 5_000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', [...args], { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, stdout) => resolve(error ? null : stdout));
  });
}

export async function queryNvidiaInventory(): Promise<NvidiaGpu[]> {
  const csv = await runNvidiaSmi([`--query-gpu=${INVENTORY_FIELDS.join(',')}`, '--format=csv,noheader,nounits']);
  if (csv === null) return [];
  return parseInventoryCsv(csv, parseCudaVersion((await runNvidiaSmi([])) ?? ''));
}

export async function queryNvidiaMetrics(): Promise<NvidiaGpuMetrics[]> {
  const csv = await runNvidiaSmi([`--query-gpu=${METRICS_FIELDS.join(',')}`, '--format=csv,noheader,nounits']);
  return csv === null ? [] : parseMetricsCsv(csv);
}
