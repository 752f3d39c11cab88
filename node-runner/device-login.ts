import { platformClient } from './api-client';
import type { CliContext } from './cli-context';
import { platformError } from './platform-error';
import { RunnerError } from './runner-error';

/**
 * The device flow: ask the platform for a code, print where to approve it, poll until it is
 * approved (the answer is an API key, given once), expired or the person presses Ctrl-C.
 */
export async function waitForDeviceApproval(ctx: CliContext, server: string): Promise<string> {
  const client = platformClient(server);
  let start;
  try {
    start = await client.machines.deviceStart.mutate();
  } catch (error) {
    throw platformError(error, server);
  }
  ctx.io.out(`To let this runner use your account, open ${start.verificationUrl}`);
  ctx.io.out(`signed in, and check that it shows the code ${start.userCode}. Waiting for approval…`);
  const deadline = ctx.clock.now() + start.expiresInS * 1000;
  while (!ctx.signal.aborted) {
    await ctx.clock.sleep(start.intervalS * 1000, ctx.signal);
    if (ctx.signal.aborted) break;
    if (ctx.clock.now() > deadline) throw new RunnerError('DEVICE_CODE_EXPIRED', 'The code expired before it was approved. Run login --device again.');
    try {
      const poll = await client.machines.devicePoll.mutate({ deviceCode: start.deviceCode });
      if (poll.status === 'approved') return poll.apiKey;
    } catch (error) {
      const failure = platformError(error, server);
      // A blip while waiting is not the person's problem: keep polling until the code expires.
      if (failure.code === 'SERVER_UNREACHABLE' || failure.code.startsWith('HTTP_5')) continue;
      throw failure;
    }
  }
  throw new RunnerError('INTERRUPTED', 'Login cancelled.', 130);
}
