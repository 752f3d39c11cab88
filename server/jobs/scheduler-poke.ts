/**
 * The scheduler loop runs in the server process (scripts/start.ts), outside Next's bundles; submit
 * and cancel reach it through this process-wide slot to ask for a pass now instead of within 5 s.
 * With no loop registered (tests, another process) a poke does nothing: the loop's timer catches up.
 */
const slot = globalThis as unknown as { __cyxwizSchedulerPoke?: () => void };

export function registerSchedulerPoke(poke: (() => void) | undefined): void {
  slot.__cyxwizSchedulerPoke = poke;
}

export function pokeScheduler(): void {
  slot.__cyxwizSchedulerPoke?.();
}
