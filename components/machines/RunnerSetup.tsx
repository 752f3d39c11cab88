'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => undefined;

/** The exact commands to put a machine on this platform, with this site's own address in them. */
export function RunnerSetup({ title = 'No machines yet' }: { title?: string | null }) {
  // Known only in the browser; the server render shows the commands without it until hydration.
  const origin = useSyncExternalStore(subscribe, () => window.location.origin, () => '');
  const server = origin || 'http://localhost:3000';
  const commands = [
    '# once, in a checkout of this project (Node 20):',
    'npm install',
    `npm run runner -- login --device --server ${server}`,
    'npm run runner -- register --name "my-gpu-box" --price 0.5',
    'npm run runner -- start',
  ].join('\n');
  return (
    <section className="empty-state runner-setup" aria-label="Connect a machine">
      {title ? <h2>{title}</h2> : null}
      <p>
        Offer a machine’s GPUs and CPU to the network with the node-runner. Registering stakes 100 CYX from your wallet (the faucet on the Wallet page has some).
        Run these on the machine:
      </p>
      <pre className="commands" data-testid="runner-commands">
        <code>{commands}</code>
      </pre>
      <p className="muted">
        <code>login --device</code> prints a code to approve here while signed in; or create an API key on your Profile page and use <code>login --api-key</code>.
        The runner keeps its machine credential in <code>~/.config/cyxwiz/runner.json</code>, readable only by you. Once started, the machine shows up here within seconds.
      </p>
    </section>
  );
}
