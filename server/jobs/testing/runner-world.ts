import { ObjectId, type Db } from 'mongodb';
import { expect } from 'vitest';
import { batches } from '../../../compute/data/batch';
import { saveCheckpoint } from '../../../compute/export/safetensors/checkpoint';
import type { Graph } from '../../../compute/graph/types';
import { CpuTrainer } from '../../../compute/model/trainer';
import { prepareJobData } from '../../../compute/train/job-data';
import type { PreparedData } from '../../../compute/train/prepare-data';
import { parseTrainConfig } from '../../../compute/train/train-config';
import { systemClock } from '../../../node-runner/clock';
import { PlatformServer } from '../../../node-runner/testing/platform-server';
import { MIN_STAKE, cyx } from '../../../programs';
import { signUp, type PublicUser } from '../../auth/users';
import { collections } from '../../db/collections';
import { sha256Hex } from '../../datasets/blob-store';
import { getLedger } from '../../ledger';
import { machinesCollection } from '../../machines/collections';
import { newMachineCredential } from '../../machines/credential';
import { insertModel } from '../../models/lifecycle';
import { createContext } from '../../trpc/context';
import { createCaller } from '../../trpc/root';
import type { CheckpointAnswer, CheckpointReport, JobSpec } from '../runner-protocol';
import { scheduleOnce } from '../schedule-once';
import { insertMachine } from './fixtures';

/**
 * The world the runner-side job tests share, on the real database and a real platform HTTP server:
 * alice owns a model and pays, bob and carol each provide a staked machine ('a', 'b') with a
 * machine credential. Helpers submit and lease jobs, call as either party, and upload checkpoints
 * over HTTP as a runner does.
 */
export type MachineKey = 'a' | 'b';

export interface JobInput {
  datasetId: string;
  config: { epochs: number; batchSize: number; learningRate?: number; seed?: number };
  requirements: { device: 'gpu' | 'cpu'; minVramBytes: number };
  priceCapMicro: string;
}

export const PRICE = '1000000000';
export const IRIS_INPUT: JobInput = { datasetId: 'builtin:iris', config: { epochs: 2, batchSize: 16, learningRate: 0.05, seed: 3 }, requirements: { device: 'gpu', minVramBytes: 0 }, priceCapMicro: PRICE };

export interface Checkpoint {
  bytes: Uint8Array;
  sha256: string;
  report: CheckpointReport;
}

export class RunnerWorld {
  alice!: PublicUser;
  bob!: PublicUser;
  carol!: PublicUser;
  modelId = '';
  readonly machines: Record<MachineKey, { id: string; credential: string }> = { a: { id: '', credential: '' }, b: { id: '', credential: '' } };
  server!: PlatformServer;
  private mints = 0;

  constructor(readonly db: Db) {}

  /** Users, the model (`graph`), two staked machines and the platform server. */
  async start(graph: Graph): Promise<this> {
    const user = (name: string) => signUp(this.db, { email: `${name}@example.com`, username: name, password: `${name}-password-1` });
    this.alice = await user('alice');
    this.bob = await user('bob');
    this.carol = await user('carol');
    const owner = (await collections(this.db).users.findOne({ _id: new ObjectId(this.alice.id) }))!;
    this.modelId = (await insertModel(this.db, { owner, name: 'job model', graph, layout: {}, datasetId: 'builtin:iris' })).toHexString();
    await this.mint(this.alice, cyx(1));
    await this.addMachine(this.bob, 'a');
    await this.addMachine(this.carol, 'b');
    this.server = new PlatformServer(this.db, systemClock);
    await this.server.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  ledger = () => getLedger(this.db);
  available = async (user: PublicUser) => (await (await this.ledger()).wallet(user.id)).available;
  ledgerState = async () => JSON.parse((await (await this.ledger()).encodedState()).text) as { balances: [string, string][]; escrows: { escrowId: string; status: string; released: string; refunded: string }[]; nodes: { nodeId: string; stake: string }[] };
  platformFees = async () => BigInt((await this.ledgerState()).balances.find(([a]) => a === 'system:platform-fees')?.[1] ?? '0');
  stakeOf = async (machineId: string) => BigInt((await this.ledgerState()).nodes.find((n) => n.nodeId === machineId)!.stake);
  escrowOf = async (jobId: string) => (await this.ledgerState()).escrows.find((e) => e.escrowId === jobId)!;
  mint = async (user: PublicUser, amount: bigint) => (await this.ledger()).submit({ kind: 'mint', key: `runner-test-mint:${this.mints++}`, at: Date.now(), by: 'admin', to: user.id, amount, reason: 'test' });
  asUser = async (user: PublicUser) => createCaller(await createContext({ db: this.db, headers: new Headers(), sessionUserId: user.id }));
  asMachine = async (m: MachineKey, at?: Date) => createCaller(await createContext({ db: this.db, headers: new Headers({ authorization: `Bearer ${this.machines[m].credential}` }), sessionUserId: null, ...(at ? { now: () => at } : {}) }));

  private async addMachine(owner: PublicUser, key: MachineKey): Promise<void> {
    const { machineId } = await insertMachine(this.db, new Date(), { pricePerHourMicro: PRICE });
    const { credential, hash } = newMachineCredential();
    await machinesCollection(this.db).updateOne({ _id: new ObjectId(machineId) }, { $set: { ownerId: new ObjectId(owner.id), credentialHash: hash } });
    await this.mint(owner, MIN_STAKE);
    const staked = await (await this.ledger()).submit({ kind: 'register_node', key: `runner-test-register:${machineId}`, at: Date.now(), nodeId: machineId, owner: owner.id, stake: MIN_STAKE });
    expect(staked.seq).not.toBeNull();
    this.machines[key] = { id: machineId, credential };
  }

  /** Submits a job (approving its quote). */
  async submit(input: JobInput): Promise<string> {
    const api = await this.asUser(this.alice);
    const quote = await api.jobs.quote({ modelId: this.modelId, ...input });
    return (await api.jobs.submit({ modelId: this.modelId, ...input, approvedMicro: quote.escrowMicro })).jobId;
  }

  /** Leases a waiting job to `machine` (the other machine is made to look offline for the pass). */
  async lease(jobId: string, machine: MachineKey): Promise<number> {
    const now = new Date();
    const other = machine === 'a' ? this.machines.b.id : this.machines.a.id;
    await machinesCollection(this.db).updateMany({}, { $set: { lastSeenAt: now } });
    await machinesCollection(this.db).updateOne({ _id: new ObjectId(other) }, { $set: { lastSeenAt: new Date(0) } });
    const { assigned } = await scheduleOnce(this.db, now);
    const mine = assigned.find((a) => a.jobId === jobId);
    expect(mine?.machineId).toBe(this.machines[machine].id);
    return mine!.epoch;
  }

  async leasedJob(machine: MachineKey, input: JobInput = IRIS_INPUT): Promise<{ jobId: string; epoch: number }> {
    const jobId = await this.submit(input);
    return { jobId, epoch: await this.lease(jobId, machine) };
  }

  /** Takes a leased job to RUNNING and answers its spec. */
  async started(machine: MachineKey, jobId: string, epoch: number): Promise<JobSpec> {
    const runner = await this.asMachine(machine);
    const spec = await runner.runner.jobSpec({ jobId, epoch });
    await runner.runner.jobStart({ jobId, epoch });
    return spec;
  }

  /** The job's dataset as the runner downloads it (null for generated data). */
  async datasetBytes(machine: MachineKey, spec: JobSpec): Promise<Uint8Array | null> {
    const source = spec.data.source;
    if (source.kind !== 'csv') return null;
    const res = await fetch(`${this.server.url}/api/runner/blobs/${source.sha256}?job=${spec.jobId}&epoch=${spec.epoch}`, { headers: { authorization: `Bearer ${this.machines[machine].credential}` } });
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  }

  async upload(m: MachineKey, jobId: string, epoch: number, bytes: Uint8Array, headers: Record<string, string>): Promise<{ status: number; body: CheckpointAnswer & { code?: string; message?: string } }> {
    const res = await fetch(`${this.server.url}/api/runner/jobs/${jobId}/checkpoints?epoch=${epoch}`, { method: 'PUT', body: new Blob([bytes as Uint8Array<ArrayBuffer>]), headers: { authorization: `Bearer ${this.machines[m].credential}`, ...headers } });
    return { status: res.status, body: (await res.json()) as CheckpointAnswer & { code?: string; message?: string } };
  }

  put = (m: MachineKey, jobId: string, epoch: number, c: { bytes: Uint8Array; sha256: string; report: object }) => this.upload(m, jobId, epoch, c.bytes, { 'x-cyxwiz-sha256': c.sha256, 'x-cyxwiz-report': JSON.stringify(c.report) });
}

/** A client training the job for real on compute/model's CPU trainer, scoring its own checkpoints. */
export class CpuRunner {
  readonly trainer: CpuTrainer;
  readonly data: PreparedData;
  constructor(
    readonly spec: JobSpec,
    bytes: Uint8Array | null,
  ) {
    this.data = prepareJobData(spec.data, bytes);
    const config = parseTrainConfig(spec.train);
    this.trainer = new CpuTrainer(spec.graph, { optimizer: config.optimizer, seed: config.seed });
  }

  /** One epoch of full batches, then its checkpoint and honest scores. */
  epoch(epochIndex: number): Checkpoint {
    let last = 0;
    for (const batch of batches(this.data.train, this.spec.train.batchSize!, { dropLast: true })) last = this.trainer.trainStep(batch).loss;
    const bytes = saveCheckpoint({ params: this.trainer.params, optimizer: this.trainer.optimizer }, this.spec.checkpointMetadata);
    const scores = this.trainer.evaluate(this.data.validation);
    return { bytes, sha256: sha256Hex(bytes), report: { step: this.trainer.optimizer.step, epochIndex, trainLoss: last, valLoss: scores.loss, valAccuracy: scores.accuracy ?? null } };
  }
}
