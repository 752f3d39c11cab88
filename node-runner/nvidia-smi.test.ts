import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MetricsSchema, NvidiaGpuSchema } from '../server/machines/schema';
import { parseCudaVersion, parseInventoryCsv, parseMetricsCsv } from './nvidia-smi';

// Output in the shape nvidia-smi prints for the runner's queries (--format=csv,noheader,nounits).
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('nvidia-smi parsing', () => {
  it('reads the CUDA version from the banner, and nothing from text without one', () => {
    expect(parseCudaVersion(fixture('nvidia-smi-banner.txt'))).toBe('12.4');
    expect(parseCudaVersion('No devices were found')).toBe('');
  });

  it('reads name, VRAM in bytes (MiB reported), driver and CUDA per GPU, in the platform schema', () => {
    const gpus = parseInventoryCsv(fixture('nvidia-smi-inventory.csv'), '12.4');
    expect(gpus).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', vramBytes: 81559 * 1024 * 1024, driver: '550.54.15', cuda: '12.4' },
      { name: 'NVIDIA GeForce RTX 4090', vramBytes: 24564 * 1024 * 1024, driver: '550.54.15', cuda: '12.4' },
    ]);
    for (const gpu of gpus) expect(NvidiaGpuSchema.safeParse(gpu).success).toBe(true);
  });

  it('reads utilisation, memory, temperature and power, leaving out what the board does not report', () => {
    const gpus = parseMetricsCsv(fixture('nvidia-smi-metrics.csv'));
    expect(gpus).toEqual([
      { index: 0, utilPercent: 87, memUsedBytes: 40213 * 1024 * 1024, tempC: 61, powerW: 412.37 },
      { index: 1, utilPercent: 3, memUsedBytes: 1021 * 1024 * 1024 },
    ]);
    expect(MetricsSchema.safeParse({ cpuPercent: 1, ramUsedBytes: 1, gpus, job: null }).success).toBe(true);
  });

  it('skips lines that are not one GPU (errors, blank lines, wrong width)', () => {
    expect(parseMetricsCsv('\nNVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.\n')).toEqual([]);
    expect(parseInventoryCsv('0, Tesla T4\n\n', '')).toEqual([]);
    expect(parseMetricsCsv('x, 1, 2, 3, 4')).toEqual([]);
  });
});
