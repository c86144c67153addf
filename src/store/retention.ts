import type { AuditStore } from './types';

export interface RetentionOptions {
  store: AuditStore;
  retentionDays: number;
  /** Default: every 6 hours. */
  intervalMs?: number;
  now?: () => Date;
  /** Counts only, no identifiers: safe to log. */
  onPurged?: (result: { invocations: number; feedback: number; cutoff: Date }) => void;
  onError?: (err: unknown) => void;
}

export interface RetentionSchedule {
  /** Resolves when the start-up purge has finished. */
  readonly firstRun: Promise<void>;
  stop(): void;
}

const DAY_MS = 86_400_000;

export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/**
 * Purges once now and then on an interval; meant to be started by the composition root right
 * after createStore(). The timer is unref'd so it never keeps the process alive on shutdown.
 */
export function startRetentionSchedule(options: RetentionOptions): RetentionSchedule {
  const now = options.now ?? (() => new Date());
  let running = false;
  const run = async (): Promise<void> => {
    // A slow purge must not overlap the next tick.
    if (running) return;
    running = true;
    try {
      const cutoff = retentionCutoff(now(), options.retentionDays);
      const result = await options.store.purgeOlderThan(cutoff);
      options.onPurged?.({ ...result, cutoff });
    } catch (err) {
      options.onError?.(err);
    } finally {
      running = false;
    }
  };
  const firstRun = run();
  const timer = setInterval(() => void run(), options.intervalMs ?? 6 * 60 * 60 * 1000);
  timer.unref();
  return { firstRun, stop: () => clearInterval(timer) };
}
