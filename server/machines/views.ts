import type { MachineDoc, UnitDoc } from './collections';
import { inventoryOf, metricsOf, unitsOf } from './machine-codec';
import type { MachineDetail, MachineView, UnitView } from './schema';
import { recentSamples } from './samples';
import { deriveStatus } from './status';

export function unitView(unit: UnitDoc): UnitView {
  return {
    id: unit.id,
    kind: unit.kind,
    index: unit.index,
    device: unit.device,
    vramBytes: unit.vramBytes,
    vramOffered: unit.vramOffered,
    vramReserved: unit.vramReserved,
    status: unit.status,
    tasksCompleted: unit.tasksCompleted,
    earningsMicro: unit.earningsMicro,
  };
}

export function machineView(doc: MachineDoc, now: Date): MachineView {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    os: doc.os,
    backend: doc.backend ?? null,
    status: deriveStatus(doc, now),
    lastSeenAt: doc.lastSeenAt ? doc.lastSeenAt.toISOString() : null,
    pricePerHourMicro: doc.pricePerHourMicro,
    stakeMicro: doc.stakeMicro,
    reputation: { jobs: doc.jobs, successRate: doc.jobs > 0 ? doc.jobsSucceeded / doc.jobs : null },
    maintenance: doc.maintenance,
    units: unitsOf(doc).map(unitView),
    metrics: metricsOf(doc),
  };
}

export function machineDetail(doc: MachineDoc, now: Date): MachineDetail {
  return { ...machineView(doc, now), inventory: inventoryOf(doc), samples: recentSamples(doc.samples, now) };
}
