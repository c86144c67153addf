/**
 * Persistence contract for the audit trail, card feedback and override analytics.
 * One interface, two adapters (SQLite embedded default, PostgreSQL when DATABASE_URL is set);
 * the HTTP layer only ever sees AuditStore.
 */

import type { FeedbackItem } from '../cds-hooks/types';

/** One card as returned to the EHR: enough to link feedback to a rule, no clinical payload. */
export interface CardAudit {
  uuid: string;
  rule: string;
  indicator: 'info' | 'warning' | 'critical';
  /** Order codes (e.g. CPT) the card is about. */
  orders: string[];
  /** fromCode: the order code the suggestion replaces or cancels; toCode: the code it proposes. */
  suggestions: { uuid: string; label: string; fromCode?: string; toCode?: string }[];
}

export interface InvocationAudit {
  serviceId: string;
  hook: string;
  hookInstance: string;
  receivedAt: Date;
  clientIss?: string;
  tenant?: string;
  /** Hashed by the store (HMAC-SHA256, PATIENT_HASH_SECRET); the clear value is never stored. */
  patientId?: string;
  orderCodes: string[];
  cards: CardAudit[];
  status: number;
  durationMs: number;
}

export interface FeedbackBatch {
  serviceId: string;
  clientIss?: string;
  tenant?: string;
  receivedAt: Date;
  /** The CDS Hooks 2.0.1 feedback items as received (validated); the store keeps what it needs of each. */
  items: readonly FeedbackItem[];
}

/**
 * stored + duplicates === items.length. unknownCards counts the items of the batch (stored or
 * duplicate) whose card uuid the audit trail does not know.
 */
export interface FeedbackResult {
  stored: number;
  duplicates: number;
  unknownCards: number;
}

/** Half-open interval [from, to) on the time the card was shown; periods are UTC. */
export interface RuleAnalyticsQuery {
  from: Date;
  to: Date;
  period: 'day' | 'week' | 'month';
}

/**
 * Figures for one rule in one period. Feedback is attributed to the period in which its card was
 * shown (a cohort view), so accepted + overridden never exceeds shown by more than the cards that
 * received both outcomes. Feedback for unknown cards has no rule and is not counted here.
 */
export interface RuleAnalyticsRow {
  rule: string;
  /** 'YYYY-MM-DD' (day), 'YYYY-Www' ISO week (week), 'YYYY-MM' (month). */
  period: string;
  shown: number;
  /** Distinct cards with at least one 'accepted' feedback. */
  accepted: number;
  /** Distinct cards with at least one 'overridden' feedback. */
  overridden: number;
  /** Cards shown that got no feedback at all (shown - cards with any feedback). */
  ignored: number;
  /** overridden / shown, 0 when nothing was shown. */
  overrideRate: number;
  topOverrideReasons: { code: string; system?: string; display?: string; count: number }[];
  /** Accepted suggestions that change an order; null on the side a suggestion lacks (pure add or cancel). */
  changedOrders: { fromCode: string | null; toCode: string | null; count: number }[];
}

export interface AuditStore {
  readonly dialect: 'sqlite' | 'postgres';
  recordInvocation(a: InvocationAudit): Promise<void>;
  /** Several hook calls in one transaction (one commit, one fsync): what the write-behind buffer flushes. */
  recordInvocations(batch: readonly InvocationAudit[]): Promise<void>;
  recordFeedback(b: FeedbackBatch): Promise<FeedbackResult>;
  ruleAnalytics(q: RuleAnalyticsQuery): Promise<RuleAnalyticsRow[]>;
  /** Deletes invocations (with their cards) and feedback received before cutoff. */
  purgeOlderThan(cutoff: Date): Promise<{ invocations: number; feedback: number }>;
  close(): Promise<void>;
}

/** What a hook call and a feedback call write: the audit trail and the feedback. */
export type AuditSink = Pick<AuditStore, 'recordInvocation' | 'recordFeedback'>;
