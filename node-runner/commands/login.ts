import { platformClient } from '../api-client';
import { serverOf, loadConfig, saveConfig, type CliContext } from '../cli-context';
import { platformError } from '../platform-error';
import { RunnerError } from '../runner-error';
import { waitForDeviceApproval } from '../device-login';

/**
 * `login --api-key K` (or CYXWIZ_API_KEY) checks the key with the platform and keeps it;
 * `login --device` prints a code to approve on the website and keeps the key that approval mints.
 */
export async function login(ctx: CliContext, flags: { apiKey?: string; device?: boolean }): Promise<void> {
  const config = loadConfig(ctx);
  const server = serverOf(ctx, config);
  let apiKey = flags.apiKey ?? ctx.env.CYXWIZ_API_KEY;
  if (flags.device && apiKey) throw new RunnerError('USAGE', 'Use either --api-key or --device, not both.', 2);
  if (flags.device) {
    apiKey = await waitForDeviceApproval(ctx, server);
  } else if (!apiKey) {
    throw new RunnerError('USAGE', 'login needs --api-key <key> (create one on your Profile page), CYXWIZ_API_KEY, or --device to approve this runner in the browser.', 2);
  }
  let who;
  try {
    who = await platformClient(server, apiKey).runner.whoami.query();
  } catch (error) {
    throw platformError(error, server);
  }
  // A different server or person makes any machine in the old config meaningless here.
  const keepMachine = config?.machine && config.server === server ? { machine: config.machine } : {};
  saveConfig(ctx, { server, apiKey, ...keepMachine });
  ctx.io.out(`Logged in to ${server} as ${who.email}${who.username ? ` (${who.username})` : ''}.`);
  ctx.io.out(`Saved to ${ctx.configPath} (readable only by you).`);
}
