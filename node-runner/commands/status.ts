import { platformClient } from '../api-client';
import { describeBackend, resolveBackend } from '../backend-probe';
import { loadConfig, serverOf, type CliContext } from '../cli-context';
import { formatCyx } from '../cyx-amount';
import { collectInventory } from '../inventory';
import { platformError } from '../platform-error';
import { describeUnit } from './describe-unit';

/** Where the config is, who is logged in, the backend auto picks here, and this machine as the platform sees it. */
export async function status(ctx: CliContext): Promise<void> {
  const config = loadConfig(ctx);
  const server = serverOf(ctx, config);
  ctx.io.out(`Config: ${ctx.configPath}${config ? '' : ' (none yet)'}`);
  ctx.io.out(`Server: ${server}`);
  ctx.io.out(`Logged in: ${config?.apiKey ? 'yes (API key saved)' : 'no'}`);
  const choice = await resolveBackend(await collectInventory(ctx.inventorySources), 'auto', ctx.backendSources);
  ctx.io.out(`${describeBackend(choice)}; start --backend overrides it`);
  if (!config?.machine) {
    ctx.io.out('Machine: not registered (cyxwiz-runner register --name <name> --price <CYX per hour>)');
    return;
  }
  let me;
  try {
    me = await platformClient(server, config.machine.credential).runner.me.query();
  } catch (error) {
    throw platformError(error, server);
  }
  ctx.io.out(`Machine: ${me.name} (${me.id}) is ${me.status}; last seen ${me.lastSeenAt ?? 'never'}`);
  ctx.io.out(`Price ${formatCyx(me.pricePerHourMicro)}/h, stake ${formatCyx(me.stakeMicro)}, ${me.reputation.jobs} jobs${me.maintenance ? ', in maintenance' : ''}`);
  for (const unit of me.units) ctx.io.out(`  ${describeUnit(unit)}`);
}
