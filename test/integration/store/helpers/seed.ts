import type { FeedbackItem } from '../../../../src/cds-hooks/types';
import type { AuditStore, CardAudit, InvocationAudit, RuleAnalyticsRow } from '../../../../src/store/types';

/**
 * A known set of invocations and feedback with hand-computed analytics, shared by the contract
 * suite and the page test. Days are offsets from `base` (a Monday, UTC).
 */
export const RULES = {
  duplicate: 'prior-imaging-duplicate',
  bilateral: 'breast-mri-bilateral',
  petCt: 'pet-ct-unbundling',
} as const;

export const REASON_SYSTEM = 'http://example.org/fhir/CodeSystem/override-reason';
export const PATIENT_ID = 'patient-7f3a-RAWID-0042';

const at = (base: Date, days: number, hour = 10): Date => new Date(base.getTime() + days * 86_400_000 + hour * 3_600_000);

export function cardUuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}
export function suggestionUuid(n: number): string {
  return `11111111-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function card(n: number, rule: string, orders: string[], suggestions: CardAudit['suggestions'] = []): CardAudit {
  return { uuid: cardUuid(n), rule, indicator: 'warning', orders, suggestions };
}

function invocation(receivedAt: Date, cards: CardAudit[], n: number): InvocationAudit {
  return {
    serviceId: 'imaging-appropriateness',
    hook: 'order-sign',
    hookInstance: `d1577c69-dfbe-44ad-ba6d-3e05e953b${String(n).padStart(3, '0')}`,
    receivedAt,
    clientIss: 'https://ehr.example.org',
    tenant: 'tenant-a',
    patientId: PATIENT_ID,
    orderCodes: [...new Set(cards.flatMap((c) => c.orders))],
    cards,
    status: 200,
    durationMs: 12.5,
  };
}

const reason = (code: string, display: string): FeedbackItem['overrideReason'] => ({
  reason: { system: REASON_SYSTEM, code, display },
});

export async function seedAnalytics(store: AuditStore, base: Date): Promise<void> {
  const invocations = [
    invocation(at(base, -18), [card(0, RULES.duplicate, ['70553'])], 0), // before the queried range
    invocation(at(base, 0), [
      card(1, RULES.duplicate, ['70553'], [{ uuid: suggestionUuid(1), label: 'Cancel duplicate MRI brain', fromCode: '70553' }]),
      card(2, RULES.bilateral, ['77046'], [{ uuid: suggestionUuid(2), label: 'Order bilateral breast MRI', fromCode: '77046', toCode: '77047' }]),
    ], 1),
    invocation(at(base, 0, 14), [card(3, RULES.duplicate, ['70551'])], 2),
    invocation(at(base, 1), [card(4, RULES.petCt, ['78812'], [{ uuid: suggestionUuid(4), label: 'Order PET/CT', fromCode: '78812', toCode: '78815' }])], 3),
    invocation(at(base, 8), [
      card(5, RULES.duplicate, ['72148']),
      card(6, RULES.petCt, ['78811'], [{ uuid: suggestionUuid(6), label: 'Order PET/CT', fromCode: '78811', toCode: '78814' }]),
    ], 4),
    invocation(at(base, 9), [card(7, RULES.duplicate, ['72148'])], 5),
    invocation(at(base, 29), [card(8, RULES.duplicate, ['74177'])], 6),
  ];
  for (const inv of invocations) await store.recordInvocation(inv);

  const ts = (days: number): string => at(base, days, 11).toISOString();
  const items: FeedbackItem[] = [
    { card: cardUuid(0), outcome: 'accepted', outcomeTimestamp: ts(-18) },
    { card: cardUuid(1), outcome: 'accepted', acceptedSuggestions: [{ id: suggestionUuid(1) }], outcomeTimestamp: ts(0) },
    { card: cardUuid(2), outcome: 'accepted', acceptedSuggestions: [{ id: suggestionUuid(2) }], outcomeTimestamp: ts(0) },
    { card: cardUuid(3), outcome: 'overridden', overrideReason: reason('patient-preference', 'Patient preference'), outcomeTimestamp: ts(0) },
    { card: cardUuid(4), outcome: 'overridden', overrideReason: reason('clinical-judgement', 'Clinical judgement'), outcomeTimestamp: ts(1) },
    {
      card: cardUuid(5),
      outcome: 'overridden',
      overrideReason: { ...reason('patient-preference', 'Patient preference'), userComment: 'discussed with radiology' },
      outcomeTimestamp: ts(8),
    },
    { card: cardUuid(6), outcome: 'accepted', acceptedSuggestions: [{ id: suggestionUuid(6) }], outcomeTimestamp: ts(8) },
    // card 7: no feedback at all (ignored)
    { card: cardUuid(8), outcome: 'overridden', overrideReason: reason('clinical-judgement', 'Clinical judgement'), outcomeTimestamp: ts(29) },
  ];
  await store.recordFeedback({ serviceId: 'imaging-appropriateness', receivedAt: at(base, 30), items });
}

/** Expected per-rule totals over [base, base + 30 days), as the page table shows them. */
export const EXPECTED_TOTALS: Record<string, Pick<RuleAnalyticsRow, 'shown' | 'accepted' | 'overridden' | 'ignored'>> = {
  [RULES.duplicate]: { shown: 5, accepted: 1, overridden: 3, ignored: 1 },
  [RULES.bilateral]: { shown: 1, accepted: 1, overridden: 0, ignored: 0 },
  [RULES.petCt]: { shown: 2, accepted: 1, overridden: 1, ignored: 0 },
};
