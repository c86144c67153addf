import type { Card, Suggestion } from '../cds-hooks/types';
import type { ImagingOrder } from '../orders/imaging-order';
import type { SuggestionSpec } from '../rules/engine/types';
import type { CardAudit } from '../store/types';

/** A card with its audit row, both built from the same finding: the audit is never read back from the wire card. */
export interface AuditedCard {
  readonly card: Card;
  readonly audit: CardAudit;
}

export type SuggestionAudit = CardAudit['suggestions'][number];

/**
 * What an offered suggestion changes, from its spec: the code of the order it replaces and the code it
 * proposes, or the code of the order it removes (the first of them that can be targeted, i.e. has an id).
 */
export function suggestionAudit(spec: SuggestionSpec, suggestion: Suggestion): SuggestionAudit {
  if (spec.kind === 'replace') return { uuid: suggestion.uuid, label: suggestion.label, fromCode: spec.order.study.code, toCode: spec.replacement.code };
  const removed = spec.orders.find((o) => o.resource.id !== undefined);
  return { uuid: suggestion.uuid, label: suggestion.label, ...(removed !== undefined ? { fromCode: removed.study.code } : {}) };
}

export function auditedCard(card: Card, rule: string, orders: readonly ImagingOrder[], suggestions: SuggestionAudit[]): AuditedCard {
  return { card, audit: { uuid: card.uuid, rule, indicator: card.indicator, orders: orders.map((o) => o.reference), suggestions } };
}
