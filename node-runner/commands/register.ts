import { unitShapes } from '../../server/machines/units';
import { platformClient } from '../api-client';
import { loadConfig, saveConfig, serverOf, type CliContext } from '../cli-context';
import { cyxToMicro, formatCyx } from '../cyx-amount';
import type { BackendFlag } from '../backend-choice';
import { describeBackend, resolveBackend, withBackend } from '../backend-probe';
import { ensureTorchFor } from '../torch/torch-install';
import { collectInventory } from '../inventory';
import { platformError } from '../platform-error';
import { RunnerError } from '../runner-error';
import { describeUnit } from './describe-unit';

/** "0,2" → [0, 2]; every index must be one of this machine's units. */
export function parseUnitList(text: string, unitCount: number): number[] {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const indexes = parts.map((p) => (/^\d{1,2}$/.test(p) ? Number(p) : NaN));
  const bad = parts.find((_, i) => !Number.isInteger(indexes[i]) || indexes[i]! >= unitCount);
  if (bad !== undefined || parts.length === 0) {
    throw new RunnerError('UNITS_INVALID', `--units takes unit numbers from 0 to ${unitCount - 1} separated by commas (e.g. 0,1), got "${text}".`, 2);
  }
  return [...new Set(indexes)];
}

/**
 * Registers this machine with the logged-in person's API key: sends the inventory, stakes through
 * the platform's ledger, and keeps the machine credential it answers (the only secret `start` uses).
 */
export async function register(ctx: CliContext, flags: { name?: string; price?: string; units?: string; backend?: BackendFlag }): Promise<void> {
  const config = loadConfig(ctx);
  if (!config?.apiKey) throw new RunnerError('NOT_LOGGED_IN', `Log in first: cyxwiz-runner login --api-key <key> (or --device). Config: ${ctx.configPath}`);
  if (config.machine) {
    throw new RunnerError('ALREADY_REGISTERED', `This runner is already registered as "${config.machine.name}" (${config.machine.id}). Run unregister first, or use another --config.`);
  }
  if (!flags.name?.trim()) throw new RunnerError('USAGE', 'register needs --name <machine name>.', 2);
  if (flags.price === undefined) throw new RunnerError('USAGE', 'register needs --price <CYX per hour>, e.g. --price 0.5.', 2);
  const pricePerHourMicro = cyxToMicro(flags.price);
  const server = serverOf(ctx, config);

  ctx.io.out('Looking at this machine’s hardware…');
  const found = await collectInventory(ctx.inventorySources);
  const flag = flags.backend ?? config.backend ?? 'auto';
  await ensureTorchFor(flag, ctx);
  const choice = await resolveBackend(found, flag, ctx.backendSources);
  ctx.io.out(describeBackend(choice));
  const inventory = withBackend(found, choice);
  const shapes = unitShapes(inventory);
  const unitIndexes = flags.units === undefined ? shapes.map((_, i) => i) : parseUnitList(flags.units, shapes.length);

  let result;
  try {
    result = await platformClient(server, config.apiKey).machines.register.mutate({ name: flags.name.trim(), pricePerHourMicro, inventory, offer: { unitIndexes } });
  } catch (error) {
    throw platformError(error, server);
  }
  saveConfig(ctx, { ...config, server, machine: { id: result.machineId, name: flags.name.trim(), credential: result.credential }, ...(flags.backend ? { backend: flags.backend } : {}) });
  ctx.io.out(`Registered "${flags.name.trim()}" (${result.machineId}) at ${formatCyx(pricePerHourMicro)} per hour.`);
  for (const unit of result.units) ctx.io.out(`  ${describeUnit(unit)}`);
  ctx.io.out(`Machine credential saved to ${ctx.configPath} (readable only by you).`);
  ctx.io.out('Start heartbeats with: cyxwiz-runner start');
}
