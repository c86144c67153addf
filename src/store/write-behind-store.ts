import type { AuditStore, FeedbackBatch, FeedbackResult, InvocationAudit, RuleAnalyticsQuery, RuleAnalyticsRow } from './types';

export interface WriteBehindOptions {
  /** Longest a hook call's audit record waits before it is written (ms). */
  readonly flushMs: number;
  /** Pending records that trigger an immediate write. */
  readonly maxBatch: number;
  /** Most records held while the store is failing; beyond that the oldest are dropped (and reported). */
  readonly maxPending: number;
  readonly onError: (err: unknown, dropped: number) => void;
}

/**
 * Audit records of hook calls written behind the answer, in batches: one transaction (one commit, one
 * fsync) per batch instead of one per call. Profiling found the per-call SQLite commit with
 * synchronous=FULL to be 38% of the service's CPU and the reason it reached only 0.17 of the ceiling
 * (BENCHMARKS.md). The trade: a crash can lose the audit records of the last `flushMs`; feedback is
 * unaffected: it is still written, and committed, before its 200 (and pending audit records are written
 * first, so its card is known). Reads (analytics, purge) and close() write what is pending first.
 */
/** Where batches go: by default the store itself; in production a worker thread with its own connection. */
export interface BatchWriter {
  write(batch: readonly InvocationAudit[]): Promise<void>;
  close(): Promise<void>;
}

export class WriteBehindAuditStore implements AuditStore {
  private pending: InvocationAudit[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: AuditStore,
    private readonly options: WriteBehindOptions,
    private readonly writer: BatchWriter = { write: (batch) => inner.recordInvocations(batch), close: async () => undefined },
  ) {}

  get dialect(): AuditStore['dialect'] {
    return this.inner.dialect;
  }

  async recordInvocation(a: InvocationAudit): Promise<void> {
    this.pending.push(a);
    if (this.pending.length > this.options.maxPending) {
      const dropped = this.pending.length - this.options.maxPending;
      this.pending.splice(0, dropped);
      this.options.onError(new Error('audit buffer full'), dropped);
    }
    if (this.pending.length >= this.options.maxBatch) void this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
      this.timer.unref();
    }
  }

  async recordInvocations(batch: readonly InvocationAudit[]): Promise<void> {
    for (const a of batch) await this.recordInvocation(a);
  }

  /** Writes everything pending; concurrent calls are serialised so batches commit in order. */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.pending;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.writer.write(batch);
      } catch (err) {
        // Keep the batch for the next attempt unless that would exceed the bound.
        const keep = this.pending.length + batch.length <= this.options.maxPending;
        if (keep) this.pending.unshift(...batch);
        this.options.onError(err, keep ? 0 : batch.length);
        if (this.timer === undefined && this.pending.length > 0) {
          this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
          this.timer.unref();
        }
      }
    });
    return this.writing;
  }

  async recordFeedback(b: FeedbackBatch): Promise<FeedbackResult> {
    await this.flush();
    return this.inner.recordFeedback(b);
  }

  async ruleAnalytics(q: RuleAnalyticsQuery): Promise<RuleAnalyticsRow[]> {
    await this.flush();
    return this.inner.ruleAnalytics(q);
  }

  async purgeOlderThan(cutoff: Date): Promise<{ invocations: number; feedback: number }> {
    await this.flush();
    return this.inner.purgeOlderThan(cutoff);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.writer.close();
    await this.inner.close();
  }
}
