import { TokenBucket } from './rate-limiter';

interface UserState {
  sockets: number;
  bytes: TokenBucket;
  forget: NodeJS.Timeout | null;
}

/**
 * What one user may hold across the whole server, whatever rooms and tickets they use: a number of
 * open sockets and one byte budget that all of them draw from.
 */
export class UserQuota {
  private readonly users = new Map<string, UserState>();

  constructor(
    private readonly limits: { maxSockets: number; bytesPerSecond: number; bytesBurst: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Reserves a socket for the user and returns their shared byte bucket, or null at the cap. */
  acquire(userId: string): TokenBucket | null {
    let user = this.users.get(userId);
    if (!user) {
      user = { sockets: 0, bytes: new TokenBucket(this.limits.bytesPerSecond, this.limits.bytesBurst, this.now), forget: null };
      this.users.set(userId, user);
    }
    if (user.sockets >= this.limits.maxSockets) return null;
    if (user.forget) clearTimeout(user.forget);
    user.forget = null;
    user.sockets++;
    return user.bytes;
  }

  release(userId: string): void {
    const user = this.users.get(userId);
    if (!user || user.sockets === 0) return;
    if (--user.sockets > 0) return;
    // Kept until the bucket has refilled: reconnecting must not hand a flooding user a fresh budget.
    const refillMs = (this.limits.bytesBurst / this.limits.bytesPerSecond) * 1000;
    user.forget = setTimeout(() => {
      if (this.users.get(userId) === user && user.sockets === 0) this.users.delete(userId);
    }, refillMs);
    user.forget.unref();
  }

  sockets(userId: string): number {
    return this.users.get(userId)?.sockets ?? 0;
  }

  clear(): void {
    for (const user of this.users.values()) if (user.forget) clearTimeout(user.forget);
    this.users.clear();
  }
}
