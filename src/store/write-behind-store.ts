import type { AuditStore, FeedbackBatch, FeedbackResult, InvocationAudit, RuleAnalyticsQuery, RuleAnalyticsRow } from './types';

export interface WriteBehindOptions {
  /** Longest a hook call's audit record waits before it is written (ms). */
  readonly flushMs: number;
  /** Pending records that trigger an immediate write. */
  readonly maxBatch: number;
  /** Most records held while the store is failing; beyond that the oldest are dropped (and reported). */
  readonly maxPending: number;
  readonly onError: (err: unknown, dropped: number) => void;
  /**
   * Longest wait between retries while writes keep failing (ms; default 30 s). The wait starts at
   * `flushMs` and doubles with each failure in a row, so a store or writer thread that cannot come back
   * (a locked or read-only file, a writer thread that dies at start) is not retried, nor its error logged,
   * 20 times a second: each retry of the worker writer starts a new isolate, which measured ~65% of a
   * core when it failed every time.
   */
  readonly maxRetryMs?: number;
}

const DEFAULT_MAX_RETRY_MS = 30_000;

/** Where batches go: by default the store itself; in production a worker thread with its own connection. */
export interface BatchWriter {
  write(batch: readonly InvocationAudit[]): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  /** Order of arrival, so that a flush can wait for exactly the records that arrived before it. */
  readonly seq: number;
  readonly audit: InvocationAudit;
}

/**
 * Audit records of hook calls written behind the answer, in batches: one transaction (one commit, one
 * fsync) per batch instead of one per call. Profiling found the per-call SQLite commit with
 * synchronous=FULL to be 38% of the service's CPU and the reason it reached only 0.17 of the ceiling
 * (docs/performance.md). The trade: a crash can lose the audit records of the last `flushMs`; feedback is
 * unaffected: it is still written, and committed, before its 200 (and pending audit records are written
 * first, so its card is known). Reads (analytics, purge) and close() write what is pending first.
 */
export class WriteBehindAuditStore implements AuditStore {
  /** Oldest first. Bounded by `maxPending`; the batch being written is not in it. */
  private pending: Pending[] = [];
  private nextSeq = 0;
  private timer: NodeJS.Timeout | undefined;
  /**
   * The one batch being written. While it is under way new records wait in `pending`, where `maxPending`
   * bounds them: a writer slower than the traffic (a slow fsync, a busy disk) delays records, it never
   * queues batches in memory. (The first version chained every batch behind the previous write, outside
   * that bound: under 50 connections the live heap grew by ~1.5 kB per call.)
   */
  private inFlight: Promise<void> | undefined;
  private failures = 0;
  /** Failed writes since the last one that succeeded: sets the retry back-off. */
  private failuresInARow = 0;

  constructor(
    private readonly inner: AuditStore,
    private readonly options: WriteBehindOptions,
    private readonly writer: BatchWriter = { write: (batch) => inner.recordInvocations(batch), close: async () => undefined },
  ) {}

  get dialect(): AuditStore['dialect'] {
    return this.inner.dialect;
  }

  async recordInvocation(a: InvocationAudit): Promise<void> {
    this.pending.push({ seq: this.nextSeq++, audit: a });
    if (this.pending.length > this.options.maxPending) {
      const dropped = this.pending.length - this.options.maxPending;
      this.pending.splice(0, dropped);
      this.options.onError(new Error('audit buffer full'), dropped);
    }
    this.schedule();
  }

  async recordInvocations(batch: readonly InvocationAudit[]): Promise<void> {
    for (const a of batch) await this.recordInvocation(a);
  }

  /**
   * Resolves once every record that arrived before the call is written, or once a write fails (its
   * records are then kept for the retry). Records arriving meanwhile are not waited for, so a caller
   * (feedback, analytics, close) is never held up by traffic that keeps coming.
   */
  async flush(): Promise<void> {
    this.clearTimer();
    const before = this.nextSeq;
    const failuresBefore = this.failures;
    for (;;) {
      if (this.inFlight !== undefined) {
        await this.inFlight;
        continue;
      }
      if (this.failures > failuresBefore) return;
      const oldest = this.pending[0];
      if (oldest === undefined || oldest.seq >= before) return;
      this.startWrite();
    }
  }

  /** Writes up to `maxBatch` of the oldest records; only ever one write at a time, batches in order. */
  private startWrite(): void {
    const batch = this.pending.splice(0, this.options.maxBatch);
    this.inFlight = this.writer
      .write(batch.map((p) => p.audit))
      .then(
        () => {
          this.failuresInARow = 0;
        },
        (err: unknown) => {
          // Keep the batch for the next attempt unless that would exceed the bound.
          const keep = this.pending.length + batch.length <= this.options.maxPending;
          if (keep) this.pending.unshift(...batch);
          this.failures += 1;
          this.failuresInARow += 1;
          this.options.onError(err, keep ? 0 : batch.length);
        },
      )
      .then(() => {
        this.inFlight = undefined;
        this.schedule();
      });
  }

  /** The next write: at once when a batch is full, else after `flushMs` (or the back-off, after failures); never while one is under way. */
  private schedule(): void {
    if (this.inFlight !== undefined || this.pending.length === 0) return;
    if (this.pending.length >= this.options.maxBatch && this.failuresInARow === 0) {
      this.clearTimer();
      this.startWrite();
    } else if (this.timer === undefined) {
      // After a failure the retry waits for the timer, longer after each failure in a row: a failing store
      // is not hammered in a loop.
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.inFlight === undefined && this.pending.length > 0) this.startWrite();
      }, this.retryDelayMs());
      this.timer.unref();
    }
  }

  /** `flushMs` normally; after n failures in a row, `flushMs` x 2^(n-1), at most `maxRetryMs`. */
  private retryDelayMs(): number {
    const max = this.options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS;
    if (this.failuresInARow === 0) return this.options.flushMs;
    return Math.min(max, this.options.flushMs * 2 ** Math.min(this.failuresInARow - 1, 30));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
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
