import { createHmac } from 'node:crypto';
import type { FeedbackItem } from '../cds-hooks/types';
import type { RuleAnalyticsQuery, RuleAnalyticsRow } from './types';

/**
 * Code shared by both adapters: patient pseudonymisation, feedback normalisation and the roll-up
 * of per-day SQL aggregates into day/week/month rows (so period arithmetic lives in one place
 * instead of two SQL dialects).
 */

/** Optional text as a column value: absent and empty are both NULL. */
export const nullable = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

/** Keyed so that a leaked database cannot be reversed by hashing a list of known patient ids. */
export function hashPatientId(secret: string, patientId: string | undefined): string | null {
  if (patientId === undefined || patientId === '') return null;
  return createHmac('sha256', secret).update(patientId, 'utf8').digest('hex');
}

export function assertHashSecret(secret: string): void {
  // An empty HMAC key makes the pseudonym a plain SHA-256, reversible by dictionary.
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new Error('patientHashSecret must be at least 16 characters');
  }
}

// Free text typed by a clinician; kept bounded so one feedback call cannot bloat the store.
const MAX_TEXT = 1000;
const clip = (s: string | undefined): string | null => (s === undefined ? null : s.slice(0, MAX_TEXT));

export interface NormalisedFeedback {
  card: string;
  outcome: 'accepted' | 'overridden';
  outcomeTimestamp: string;
  /** Parsed outcomeTimestamp, null if the EHR sent something unparsable (kept raw anyway). */
  outcomeAt: Date | null;
  reasonSystem: string | null;
  reasonCode: string | null;
  reasonDisplay: string | null;
  userComment: string | null;
  acceptedSuggestionIds: string[];
}

export function normaliseFeedback(item: FeedbackItem): NormalisedFeedback {
  if (item.outcome !== 'accepted' && item.outcome !== 'overridden') {
    throw new Error(`invalid feedback outcome ${JSON.stringify(item.outcome)}`);
  }
  const parsed = new Date(item.outcomeTimestamp);
  // A reason without a code names nothing the override analytics could count: it is not kept at all.
  const reason = item.overrideReason?.reason?.code !== undefined ? item.overrideReason.reason : undefined;
  return {
    card: item.card,
    outcome: item.outcome,
    outcomeTimestamp: item.outcomeTimestamp,
    outcomeAt: Number.isNaN(parsed.getTime()) ? null : parsed,
    reasonSystem: clip(reason?.system),
    reasonCode: clip(reason?.code),
    reasonDisplay: clip(reason?.display),
    userComment: clip(item.overrideReason?.userComment),
    // Duplicated ids would violate the (feedback_id, suggestion_uuid) key for no information gain.
    acceptedSuggestionIds: [...new Set((item.acceptedSuggestions ?? []).map((s) => s.id))],
  };
}

export interface DayCountRow {
  rule: string;
  day: string;
  shown: number;
  answered: number;
  accepted: number;
  overridden: number;
}
export interface DayReasonRow {
  rule: string;
  day: string;
  system: string | null;
  code: string;
  display: string | null;
  count: number;
}
export interface DayChangeRow {
  rule: string;
  day: string;
  fromCode: string | null;
  toCode: string | null;
  count: number;
}

export const TOP_REASONS = 5;

/** ISO-8601 week label ('2026-W48') of a UTC 'YYYY-MM-DD' day. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  // The ISO week-year is the year of the week's Thursday.
  const thursday = new Date(d.getTime() + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function periodOf(day: string, period: RuleAnalyticsQuery['period']): string {
  if (period === 'day') return day;
  if (period === 'month') return day.slice(0, 7);
  return isoWeekOf(day);
}

export function rollUp(
  period: RuleAnalyticsQuery['period'],
  counts: readonly DayCountRow[],
  reasons: readonly DayReasonRow[],
  changes: readonly DayChangeRow[],
): RuleAnalyticsRow[] {
  interface Acc {
    rule: string;
    period: string;
    shown: number;
    answered: number;
    accepted: number;
    overridden: number;
    reasons: Map<string, { code: string; system: string | null; display: string | null; count: number }>;
    changes: Map<string, { fromCode: string | null; toCode: string | null; count: number }>;
  }
  const acc = new Map<string, Acc>();
  const bucket = (rule: string, day: string): Acc => {
    const p = periodOf(day, period);
    const key = JSON.stringify([rule, p]);
    let a = acc.get(key);
    if (a === undefined) {
      a = { rule, period: p, shown: 0, answered: 0, accepted: 0, overridden: 0, reasons: new Map(), changes: new Map() };
      acc.set(key, a);
    }
    return a;
  };
  // Each card belongs to exactly one day, so summing per-day distinct-card counts stays exact.
  for (const c of counts) {
    const a = bucket(c.rule, c.day);
    a.shown += c.shown;
    a.answered += c.answered;
    a.accepted += c.accepted;
    a.overridden += c.overridden;
  }
  for (const r of reasons) {
    const a = bucket(r.rule, r.day);
    const key = JSON.stringify([r.system, r.code]);
    const prev = a.reasons.get(key);
    if (prev === undefined) a.reasons.set(key, { code: r.code, system: r.system, display: r.display, count: r.count });
    else {
      prev.count += r.count;
      prev.display ??= r.display;
    }
  }
  for (const ch of changes) {
    const a = bucket(ch.rule, ch.day);
    const key = JSON.stringify([ch.fromCode, ch.toCode]);
    const prev = a.changes.get(key);
    if (prev === undefined) a.changes.set(key, { fromCode: ch.fromCode, toCode: ch.toCode, count: ch.count });
    else prev.count += ch.count;
  }
  const byCountThen = <T extends { count: number }>(key: (t: T) => string) => (x: T, y: T) =>
    y.count - x.count || key(x).localeCompare(key(y));
  return [...acc.values()]
    .map((a): RuleAnalyticsRow => ({
      rule: a.rule,
      period: a.period,
      shown: a.shown,
      accepted: a.accepted,
      overridden: a.overridden,
      ignored: Math.max(0, a.shown - a.answered),
      overrideRate: a.shown === 0 ? 0 : Math.round((a.overridden / a.shown) * 10_000) / 10_000,
      topOverrideReasons: [...a.reasons.values()]
        .sort(byCountThen((r) => `${r.system ?? ''}|${r.code}`))
        .slice(0, TOP_REASONS)
        .map((r) => ({
          code: r.code,
          ...(r.system !== null ? { system: r.system } : {}),
          ...(r.display !== null ? { display: r.display } : {}),
          count: r.count,
        })),
      changedOrders: [...a.changes.values()].sort(byCountThen((c) => `${c.fromCode ?? ''}>${c.toCode ?? ''}`)),
    }))
    .sort((x, y) => x.period.localeCompare(y.period) || x.rule.localeCompare(y.rule));
}

/** Every period label touched by [from, to), in order, so charts show empty periods as gaps. */
export function periodsBetween(from: Date, to: Date, period: RuleAnalyticsQuery['period']): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t < to.getTime(); t += 86_400_000) {
    const label = periodOf(new Date(t).toISOString().slice(0, 10), period);
    if (out[out.length - 1] !== label) out.push(label);
  }
  return out;
}
