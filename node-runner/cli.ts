/**
 * The node-runner's entry point: `npm run runner -- <command>` and the `cyxwiz-runner` bin.
 * SIGINT/SIGTERM abort the running command, which then finishes cleanly (a heartbeat in flight
 * completes; nothing is left half-written).
 */
import { runCli } from './run-cli';

const controller = new AbortController();
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second Ctrl-C means now.
    if (++interrupts > 1) process.exit(130);
    controller.abort();
  });
}

const code = await runCli(process.argv.slice(2), {
  io: { out: (line) => console.log(line), err: (line) => console.error(line) },
  signal: controller.signal,
});
// Dawn or a keep-alive socket may still hold the event loop; the command is done.
process.exit(code);
