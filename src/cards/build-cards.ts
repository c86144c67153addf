import type { Card, Indicator, Suggestion } from '../cds-hooks/types';
import type { Content } from '../content/types';
import type { DataKey } from '../fhir/data-keys';
import type { UnavailableReason } from '../fhir/unavailable';
import type { ImagingOrder } from '../orders/imaging-order';
import type { Evaluation } from '../rules/engine/evaluate';
import type { Finding } from '../rules/engine/types';
import type { CardAudit } from '../store/types';
import { auditedCard, suggestionAudit } from './card-audit';
import type { AuditedCard, SuggestionAudit } from './card-audit';
import { renderCard } from './card';
import { incompleteCards } from './incomplete-cards';
import { buildSuggestion } from './suggestions';

const SEVERITY: Readonly<Record<Indicator, number>> = { critical: 0, warning: 1, info: 2 };

/** One card per finding (RULES.md "Every card"), wording from the rule's reviewed content, with its audit row. */
export function cardForFinding(finding: Finding, c: Content): AuditedCard | undefined {
  const content = c.rules.get(finding.rule);
  if (content === undefined) return undefined;
  const suggestions: Suggestion[] = [];
  const audits: SuggestionAudit[] = [];
  // at-most-one: only one suggestion may be recommended (CDS Hooks 3.0 invariant cds-resp-1, sensible in 2.0).
  let recommendedSeen = false;
  for (const spec of finding.suggestions) {
    let suggestion = buildSuggestion(spec, content);
    if (suggestion === undefined) continue;
    if (suggestion.isRecommended === true) {
      if (recommendedSeen) suggestion = { ...suggestion, isRecommended: false };
      recommendedSeen = true;
    }
    suggestions.push(suggestion);
    audits.push(suggestionAudit(spec, suggestion));
  }
  const card = renderCard(content, c, {
    variant: finding.variant,
    orders: finding.orders,
    vars: { order: finding.orders.map((o) => o.display).join(' + '), ...(finding.vars ?? {}) },
    evidence: finding.evidence,
    suggestions,
    ...(finding.indicator !== undefined ? { indicator: finding.indicator } : {}),
  });
  return card === undefined ? undefined : auditedCard(card, finding.rule, finding.orders, audits);
}

/**
 * One card per finding per order, no duplicates, sorted critical, warning, info (RULES.md "Every card");
 * within a level, in rule-catalog order. `maxCards` keeps the most severe.
 */
export function finaliseCards(cards: readonly AuditedCard[], ruleRank: ReadonlyMap<string, number>, maxCards?: number): AuditedCard[] {
  const seen = new Set<string>();
  const unique = cards.filter(({ card, audit }) => {
    const key = `${audit.rule}|${[...audit.orders].sort().join(',')}|${card.summary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rank = (rule: string): number => ruleRank.get(rule) ?? ruleRank.size;
  unique.sort((a, b) => SEVERITY[a.card.indicator] - SEVERITY[b.card.indicator] || rank(a.audit.rule) - rank(b.audit.rule));
  return maxCards === undefined ? unique : unique.slice(0, maxCards);
}

/** The cards of one call and, in the same order, the audit row of each. */
export interface CallCards {
  readonly cards: Card[];
  readonly audit: CardAudit[];
}

/** Findings of one call -> the cards it answers with (evaluation-incomplete cards included) and their audit rows. */
export function buildCards(
  evaluation: Evaluation,
  targets: readonly ImagingOrder[],
  unavailable: ReadonlyMap<DataKey, UnavailableReason>,
  content: Content,
  ruleRank: ReadonlyMap<string, number>,
  maxCards?: number,
): CallCards {
  const found: AuditedCard[] = [];
  for (const finding of evaluation.findings) {
    const card = cardForFinding(finding, content);
    if (card !== undefined) found.push(card);
  }
  // The incomplete cards are never cut by max-cards: silence must not be mistaken for clearance.
  const all = [...finaliseCards(found, ruleRank, maxCards), ...incompleteCards(evaluation, targets, unavailable, content)];
  return { cards: all.map((a) => a.card), audit: all.map((a) => a.audit) };
}
