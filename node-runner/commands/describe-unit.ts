import type { UnitView } from '../../server/machines/schema';

const GIB = 1024 ** 3;

/** One line per compute unit for the terminal: "unit 0  gpu  NVIDIA H100  80.0 GiB  active". */
export function describeUnit(unit: Pick<UnitView, 'index' | 'kind' | 'device' | 'vramBytes' | 'status'>): string {
  const memory = unit.vramBytes > 0 ? `${(unit.vramBytes / GIB).toFixed(1)} GiB` : 'memory unknown';
  return `unit ${unit.index}  ${unit.kind}  ${unit.device}  ${memory}  ${unit.status}`;
}
