import { heartbeatApi, platformClient } from '../api-client';
import { loadConfig, saveConfig, serverOf, type CliContext } from '../cli-context';
import { runHeartbeatLoop, type LoopEvent } from '../heartbeat-loop';
import type { BackendFlag } from '../backend-choice';
import { describeBackend, resolveBackend, withBackend } from '../backend-probe';
import { collectInventory } from '../inventory';
import { createMetricsSampler } from '../metrics';
import { EXIT_REVOKED, RunnerError } from '../runner-error';
import { describeJobEvent } from '../jobs/describe-job-event';
import { platformJobApi } from '../jobs/job-api';
import { JobRunner } from '../jobs/job-runner';
import { createJobTrainer } from '../jobs/trainer-factory';
import { ensureTorchFor } from '../torch/torch-install';

function describeEvent(event: LoopEvent): string | null {
  switch (event.type) {
    case 'beat':
      return null;
    case 'unit-changed':
      return `Unit ${event.unitId} is now ${event.status} (changed on the website).`;
    case 'inventory-sent':
      return 'Hardware changed: sent the new inventory.';
    case 'retrying':
      return `Platform unreachable (${event.failure.message}); retry ${event.failures} in ${event.delayMs / 1000} s.`;
    case 'too-fast':
      return `Heartbeats too fast for the platform; next in ${event.delayMs / 1000} s.`;
    case 'recovered':
      return `Platform reachable again after ${event.afterFailures} failed attempt${event.afterFailures === 1 ? '' : 's'}.`;
  }
}

/**
 * Heartbeats with live metrics and trains the jobs the heartbeat says this machine holds, until
 * Ctrl-C (exit 0, after the running job's epoch checkpoint is uploaded and the job handed back) or
 * until the platform refuses this machine's credential (removed on the website: exit 3, and the
 * credential is forgotten here). --backend is remembered in the config for the next start.
 */
export async function start(ctx: CliContext, flags: { backend?: BackendFlag } = {}): Promise<void> {
  const config = loadConfig(ctx);
  if (!config?.machine) throw new RunnerError('NOT_REGISTERED', `Register this machine first: cyxwiz-runner register --name <name> --price <CYX per hour>. Config: ${ctx.configPath}`);
  const server = serverOf(ctx, config);
  const machine = config.machine;
  const client = platformClient(server, machine.credential);

  const found = await collectInventory(ctx.inventorySources);
  const flag = flags.backend ?? config.backend ?? 'auto';
  await ensureTorchFor(flag, ctx);
  // Chosen once: a refreshed inventory carries the same backend (re-probing torch costs seconds).
  const choice = await resolveBackend(found, flag, ctx.backendSources);
  if (flags.backend && flags.backend !== config.backend) saveConfig(ctx, { ...config, backend: flags.backend });
  const inventory = withBackend(found, choice);
  const backend = choice.backend;
  const jobs = new JobRunner({
    api: platformJobApi(server, machine.credential, client),
    makeTrainer: () => (backend ? (ctx.jobTrainer ?? createJobTrainer)(backend) : Promise.reject(new Error(choice.reason))),
    clock: ctx.clock,
    stopSignal: ctx.signal,
    ...(ctx.progressEveryMs !== undefined ? { progressEveryMs: ctx.progressEveryMs } : {}),
    onEvent: (event) => ctx.io.out(describeJobEvent(event)),
  });
  let firstBeat = true;
  ctx.io.out(`Starting "${machine.name}" (${machine.id}) against ${server}; Ctrl-C stops.`);
  ctx.io.out(describeBackend(choice));
  const end = await runHeartbeatLoop({
    api: heartbeatApi(client),
    machineId: machine.id,
    inventory,
    collectInventory: async () => withBackend(await collectInventory(ctx.inventorySources), choice),
    sampleMetrics: createMetricsSampler(ctx.metricsSources),
    intervalMs: ctx.heartbeatIntervalMs,
    inventoryRefreshMs: ctx.inventoryRefreshMs,
    clock: ctx.clock,
    signal: ctx.signal,
    onEvent: (event) => {
      if (event.type === 'beat') jobs.offer(event.answer.jobs);
      if (event.type === 'beat' && firstBeat) {
        firstBeat = false;
        ctx.io.out(`Online: the platform sees this machine as ${event.answer.status}. Units: ${event.answer.units.map((u) => `${u.id} ${u.status}`).join(', ')}`);
        return;
      }
      const line = describeEvent(event);
      if (line) ctx.io.out(line);
    },
  });
  if (end.reason !== 'stopped') jobs.dropAll();
  else {
    // Offline at once, before the running job is handed back: else the platform, still seeing this
    // machine online, could lease that job (or a new one) straight back to a runner that is exiting.
    await client.runner.signOff.mutate({}).catch((error: unknown) => ctx.io.out(`Could not tell the platform this machine is stopping (${error instanceof Error ? error.message : String(error)}); it shows as online until its heartbeats are missed.`));
    if (jobs.busy) ctx.io.out('Stopping: the running job finishes its epoch, uploads that checkpoint and is handed back (Ctrl-C again exits at once).');
  }
  await jobs.close();
  if (end.reason === 'stopped') {
    ctx.io.out('Stopped.');
    return;
  }
  if (end.reason === 'revoked') {
    if (end.failure.code === 'MACHINE_CREDENTIAL_REVOKED') {
      const { machine: _removed, ...rest } = config;
      saveConfig(ctx, rest);
    }
    throw new RunnerError(end.failure.code ?? 'UNAUTHORIZED', `The platform no longer accepts this machine: ${end.failure.message} (${end.failure.code ?? 401}). Register again to rejoin.`, EXIT_REVOKED);
  }
  const code = end.failure.code ?? `HTTP_${end.failure.httpStatus}`;
  throw new RunnerError(code, `The platform refused a heartbeat: ${end.failure.message} (${code})`);
}
