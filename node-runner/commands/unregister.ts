import { platformClient } from '../api-client';
import { loadConfig, saveConfig, serverOf, type CliContext } from '../cli-context';
import { platformError } from '../platform-error';
import { EXIT_REVOKED, RunnerError } from '../runner-error';

/** Removes this machine from the platform (its credential stops working) and forgets it here. */
export async function unregister(ctx: CliContext): Promise<void> {
  const config = loadConfig(ctx);
  if (!config?.machine) throw new RunnerError('NOT_REGISTERED', `No machine is registered in ${ctx.configPath}.`);
  const server = serverOf(ctx, config);
  const { machine, ...rest } = config;
  try {
    await platformClient(server, machine.credential).runner.unregister.mutate({});
  } catch (error) {
    const failure = platformError(error, server);
    // Already removed on the website: nothing left to do there, so forget it here too.
    if (failure.exitCode !== EXIT_REVOKED) throw failure;
  }
  saveConfig(ctx, rest);
  ctx.io.out(`Unregistered "${machine.name}" (${machine.id}); its credential no longer works.`);
}
