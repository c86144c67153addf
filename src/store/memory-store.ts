import type { AuditStore, FeedbackBatch, FeedbackResult, InvocationAudit, RuleAnalyticsRow } from './types';

/** Invocations kept by default: enough for tests and a demo, bounded for a long-running process. */
export const DEFAULT_MAX_INVOCATIONS = 10_000;

/**
 * An in-process AuditStore: keeps the feedback contract (idempotent, unknown cards flagged) for tests and
 * for `STORE=memory`. Nothing survives a restart; the durable adapters are SQLite and PostgreSQL.
 * It keeps the newest `maxInvocations` hook calls only: unbounded, it grew the service's RSS by ~2.5 kB
 * per call (257 MB peak over one `npm run bench`, BENCHMARKS.md). Feedback on a card whose call was
 * dropped is stored and flagged as an unknown card.
 */
export class MemoryAuditStore implements AuditStore {
  readonly dialect = 'sqlite' as const;
  readonly invocations: Omit<InvocationAudit, 'patientId'>[] = [];
  readonly feedback: { key: string; serviceId: string; item: FeedbackBatch['items'][number]; unknownCard: boolean; receivedAt: Date }[] = [];
  private readonly keys = new Set<string>();
  private readonly cards = new Set<string>();

  constructor(private readonly maxInvocations: number = DEFAULT_MAX_INVOCATIONS) {}

  async recordInvocation(a: InvocationAudit): Promise<void> {
    const { patientId: _patient, ...rest } = a;
    this.invocations.push(rest);
    for (const c of a.cards) this.cards.add(c.uuid);
    if (this.invocations.length > this.maxInvocations) {
      for (const dropped of this.invocations.splice(0, this.invocations.length - this.maxInvocations)) {
        for (const c of dropped.cards) this.cards.delete(c.uuid);
      }
    }
  }

  async recordFeedback(b: FeedbackBatch): Promise<FeedbackResult> {
    let stored = 0;
    let duplicates = 0;
    let unknownCards = 0;
    for (const item of b.items) {
      const key = `${item.card}|${item.outcome}|${item.outcomeTimestamp}`;
      if (this.keys.has(key)) {
        duplicates += 1;
        continue;
      }
      this.keys.add(key);
      const unknownCard = !this.cards.has(item.card);
      if (unknownCard) unknownCards += 1;
      this.feedback.push({ key, serviceId: b.serviceId, item, unknownCard, receivedAt: b.receivedAt });
      stored += 1;
    }
    return { stored, duplicates, unknownCards };
  }

  async ruleAnalytics(): Promise<RuleAnalyticsRow[]> {
    return [];
  }

  async purgeOlderThan(cutoff: Date): Promise<{ invocations: number; feedback: number }> {
    const before = this.invocations.length;
    const keep = this.invocations.filter((i) => i.receivedAt >= cutoff);
    this.invocations.splice(0, this.invocations.length, ...keep);
    const fbBefore = this.feedback.length;
    const fbKeep = this.feedback.filter((f) => f.receivedAt >= cutoff);
    this.feedback.splice(0, this.feedback.length, ...fbKeep);
    return { invocations: before - keep.length, feedback: fbBefore - fbKeep.length };
  }

  async close(): Promise<void> {}
}
