import { loadCheckpoint } from '../../../compute/export/safetensors/checkpoint';
import { forward } from '../../../compute/model/forward';
import { buildModelPlan } from '../../../compute/model/plan';
import { sizeOf } from '../../../compute/model/tensor';
import { scoreOutputs } from '../../../compute/train/evaluate';
import { prepareJobData } from '../../../compute/train/job-data';
import { CHECKPOINT_TOLERANCE, type CheckpointAnswer, type CheckpointReport, type JobLeaseInput, type JobProgressInput, type JobSpec } from '../../../server/jobs/runner-protocol';
import { PlatformHttpError } from '../../api-failure';
import type { JobApi } from '../job-api';
import { sha256Hex } from '../verified-blob';

export interface Upload {
  readonly sha256: string;
  readonly bytes: Uint8Array;
  readonly report: CheckpointReport;
  readonly answer: CheckpointAnswer;
}

/**
 * The executor's JobApi seam held in memory, for tests of the runner's side before and beside the
 * real platform: it serves one spec and its blobs, records every call, and checks each uploaded
 * checkpoint the way the platform does (its sha256, then the weights evaluated on the validation
 * split on the CPU with compute/model's forward, compared under CHECKPOINT_TOLERANCE).
 */
export class InProcessJobApi implements JobApi {
  readonly calls: { name: string; input: unknown }[] = [];
  readonly reports: JobProgressInput[] = [];
  readonly uploads: Upload[] = [];
  readonly blobs = new Map<string, Uint8Array>();
  /** What jobProgress answers; set keepGoing false to cancel the job. */
  keepGoing = true;
  /** Called on every progress report, e.g. to press Ctrl-C mid-epoch. */
  onProgress: ((input: JobProgressInput) => void) | undefined;
  /** Make a call refuse as the platform refuses a stale lease. */
  refuse: ((name: string) => boolean) | undefined;

  constructor(readonly spec_: JobSpec, blobs: Uint8Array[] = []) {
    for (const blob of blobs) this.blobs.set(sha256Hex(blob), blob);
  }

  names(): string[] {
    return this.calls.map((c) => c.name);
  }

  private record(name: string, input: unknown): void {
    this.calls.push({ name, input });
    if (this.refuse?.(name)) throw new PlatformHttpError(409, 'STALE_LEASE_EPOCH', 'This lease epoch is no longer current.');
  }

  async spec(lease: JobLeaseInput): Promise<JobSpec> {
    this.record('spec', lease);
    return this.spec_;
  }

  async start(lease: JobLeaseInput): Promise<unknown> {
    this.record('start', lease);
    return { ok: true };
  }

  async progress(input: JobProgressInput): Promise<{ keepGoing: boolean }> {
    this.record('progress', input);
    this.reports.push(input);
    this.onProgress?.(input);
    return { keepGoing: this.keepGoing };
  }

  async complete(input: JobLeaseInput & { sha256: string }): Promise<unknown> {
    this.record('complete', input);
    return { ok: true };
  }

  async handBack(lease: JobLeaseInput): Promise<unknown> {
    this.record('handBack', lease);
    return { ok: true };
  }

  async fail(input: JobLeaseInput & { reason: string }): Promise<unknown> {
    this.record('fail', input);
    return { ok: true };
  }

  async downloadBlob(sha256: string): Promise<Uint8Array> {
    this.record('downloadBlob', sha256);
    const blob = this.blobs.get(sha256);
    if (!blob) throw new PlatformHttpError(404, 'BLOB_NOT_FOUND', 'No such blob for this job.');
    return blob;
  }

  async uploadCheckpoint(lease: JobLeaseInput, bytes: Uint8Array, sha256: string, report: CheckpointReport): Promise<CheckpointAnswer> {
    this.record('uploadCheckpoint', { lease, sha256, report });
    if (sha256Hex(bytes) !== sha256) throw new PlatformHttpError(400, 'BLOB_HASH_MISMATCH', 'The body does not hash to x-cyxwiz-sha256.');
    const platform = this.evaluate(bytes);
    const lossOk = report.valLoss !== null && platform.valLoss !== null
      && Math.abs(report.valLoss - platform.valLoss) <= CHECKPOINT_TOLERANCE.lossAbsolute + CHECKPOINT_TOLERANCE.lossRelative * Math.abs(platform.valLoss);
    const accuracyOk = report.valAccuracy === platform.valAccuracy
      || (report.valAccuracy !== null && platform.valAccuracy !== null && Math.abs(report.valAccuracy - platform.valAccuracy) <= Math.max(CHECKPOINT_TOLERANCE.accuracy, 1 / platform.rows));
    const verified = lossOk && accuracyOk;
    const answer: CheckpointAnswer = { verified, sha256, step: report.step, platform, releasedMicro: verified ? '1000' : '0', reason: verified ? null : `reported ${report.valLoss}/${report.valAccuracy}, platform ${platform.valLoss}/${platform.valAccuracy}` };
    this.blobs.set(sha256, bytes);
    this.uploads.push({ sha256, bytes, report, answer });
    return answer;
  }

  /** The platform's own scores of a checkpoint: CPU forward in inference mode over the validation split. */
  evaluate(bytes: Uint8Array): CheckpointAnswer['platform'] {
    const plan = buildModelPlan(this.spec_.graph);
    const { params } = loadCheckpoint(bytes, { plan });
    const source = this.spec_.data.source;
    const { validation } = prepareJobData(this.spec_.data, source.kind === 'csv' ? this.blobs.get(source.sha256)! : null);
    const primary = plan.outputs[0]!;
    const outputs = forward(plan, params, { batch: validation.size, inputs: { [plan.inputs[0]!.id]: validation.features } }, { training: false }).values.get(primary.source)!;
    const scores = scoreOutputs(Float32Array.from(outputs), validation, { type: primary.lossType, width: sizeOf(primary.shape) });
    return { valLoss: scores.loss, valAccuracy: scores.accuracy ?? null, rows: validation.size };
  }
}
