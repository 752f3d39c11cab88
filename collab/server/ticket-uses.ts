/**
 * How many sockets each ticket has opened. A ticket is a bearer token valid for minutes; without a
 * count one could open hundreds of sockets. Counted per opening, not per open socket: the real
 * client fetches a fresh ticket for every (re)connect.
 */
export class TicketUses {
  private readonly uses = new Map<string, { count: number; exp: number }>();
  private sweepAt = 1024;

  constructor(
    private readonly maxUses: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one opening of `ticket` (valid until `exp`); false when it has opened its share. */
  take(ticket: string, exp: number): boolean {
    // The signature identifies the ticket; keeping it, not the whole ticket, bounds the memory.
    const key = ticket.slice(ticket.lastIndexOf('.') + 1);
    const entry = this.uses.get(key);
    if (entry) {
      if (entry.count >= this.maxUses) return false;
      entry.count++;
      return true;
    }
    this.uses.set(key, { count: 1, exp });
    if (this.uses.size >= this.sweepAt) this.sweep();
    return true;
  }

  private sweep(): void {
    const t = this.now();
    for (const [key, entry] of this.uses) if (entry.exp <= t) this.uses.delete(key);
    // Amortised: the next sweep waits until the map has doubled.
    this.sweepAt = Math.max(1024, this.uses.size * 2);
  }
}
