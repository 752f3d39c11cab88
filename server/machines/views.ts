import type { MachineDoc, SampleDoc, UnitDoc } from './collections';
import type { MachineDetail, MachineView, UnitView, UtilisationSample } from './schema';
import { SAMPLE_SLOT_MS, SAMPLES_KEPT } from './heartbeat';
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
    os: doc.inventory.os,
    status: deriveStatus(doc, now),
    lastSeenAt: doc.lastSeenAt ? doc.lastSeenAt.toISOString() : null,
    pricePerHourMicro: doc.pricePerHourMicro,
    stakeMicro: doc.stakeMicro,
    reputation: { jobs: doc.jobs, successRate: doc.jobs > 0 ? doc.jobsSucceeded / doc.jobs : null },
    maintenance: doc.maintenance,
    units: doc.units.map(unitView),
    metrics: doc.metrics,
  };
}

function sampleView(sample: SampleDoc): UtilisationSample {
  return { at: sample.at.toISOString(), cpuPercent: sample.cpuPercent, gpuPercent: sample.gpuPercent, ramUsedBytes: sample.ramUsedBytes };
}

/** The samples of the last SAMPLES_KEPT slots, oldest first; a slot's older occupant is left out. */
export function recentSamples(samples: Record<string, SampleDoc>, now: Date): UtilisationSample[] {
  const since = now.getTime() - SAMPLES_KEPT * SAMPLE_SLOT_MS;
  return Object.values(samples)
    .filter((s) => s.at.getTime() > since)
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map(sampleView);
}

export function machineDetail(doc: MachineDoc, now: Date): MachineDetail {
  return { ...machineView(doc, now), inventory: doc.inventory, samples: recentSamples(doc.samples, now) };
}
