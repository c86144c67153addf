/**
 * Seen JWT ids (CDS Hooks best practices: "jti not seen before", kept for the token's lifetime). In
 * memory, bounded: expired entries are purged first; when still full the oldest entry (the one closest
 * to expiry, as lifetimes are capped) is dropped. One process only: several instances behind a load
 * balancer need the shared store (REPLAY_CACHE_REDIS_URL, src/security/redis-replay-cache.ts), otherwise a
 * token replayed to another instance passes.
 */
export interface ReplayCache {
  /** Records `id` until `expiresAtMs`; false when it was already there (a replay). May reject (store down). */
  remember(id: string, expiresAtMs: number): boolean | Promise<boolean>;
  readonly size: number;
}

export class MemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  remember(id: string, expiresAtMs: number): boolean {
    const now = this.now();
    const known = this.seen.get(id);
    if (known !== undefined && known > now) return false;
    if (known !== undefined) this.seen.delete(id);
    if (this.seen.size >= this.maxEntries) this.purge(now);
    while (this.seen.size >= this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    this.seen.set(id, expiresAtMs);
    return true;
  }

  private purge(now: number): void {
    for (const [id, expires] of this.seen) if (expires <= now) this.seen.delete(id);
  }
}
