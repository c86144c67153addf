import type { Card, Indicator, Suggestion } from '../cds-hooks/types';
import type { Content, RuleContent } from '../content/types';
import type { ImagingOrder } from '../orders/imaging-order';
import type { Evidence } from '../rules/facts/evidence';
import { cell, fitSummary, interpolate } from './interpolate';
import { newCardId } from './card-ids';

function evidenceTable(evidence: readonly Evidence[]): string {
  if (evidence.length === 0) return '';
  const rows = evidence.map((e) => `| ${cell(e.what)} | ${cell(e.value ?? '')} | ${e.date ?? ''} | ${e.reference ?? ''} |`);
  return ['', '**Evidence from the record**', '', '| Finding | Value | Date | Record |', '|---|---|---|---|', ...rows].join('\n');
}

function citation(content: RuleContent, c: Content): string {
  const sectionTitle = c.guideline.sections[content.section];
  const where = sectionTitle === undefined ? content.section : `${content.section}, ${sectionTitle}`;
  return `*Source: ${c.guideline.title} (${c.guideline.publisher}, ${c.guideline.version}), ${where}.*`;
}

/** The parts of a rule's cards that depend only on its reviewed content: worked out once per rule. */
interface StaticParts {
  readonly citation: string;
  readonly source: Card['source'];
  readonly overrideReasons: NonNullable<Card['overrideReasons']>;
}

/**
 * Keyed by the loaded content object, so content reloaded in tests gets its own; the parts are shared by
 * every card of the rule, which is safe because cards are serialised as they are and never mutated.
 */
const STATIC_PARTS = new WeakMap<RuleContent, StaticParts>();

function staticParts(content: RuleContent, c: Content): StaticParts {
  let parts = STATIC_PARTS.get(content);
  if (parts === undefined) {
    parts = {
      citation: citation(content, c),
      source: {
        label: c.guideline.sourceLabel,
        url: c.guideline.url,
        topic: { system: c.guideline.cardTypeSystem, code: content.crdType, display: c.guideline.cardTypes[content.crdType] ?? content.crdType },
      },
      overrideReasons: content.overrideReasons.map((r) => ({ system: c.guideline.overrideReasonSystem, code: r.code, display: r.display })),
    };
    STATIC_PARTS.set(content, parts);
  }
  return parts;
}

/**
 * One card in the rule's reviewed wording (the variant's summary and detail, the evidence table, the
 * guideline citation); undefined when the content has no such variant.
 */
export function renderCard(
  content: RuleContent,
  c: Content,
  parts: {
    variant: string;
    orders: readonly ImagingOrder[];
    vars: Readonly<Record<string, string>>;
    evidence: readonly Evidence[];
    suggestions: readonly Suggestion[];
    indicator?: Indicator;
  },
): Card | undefined {
  const wording = content.cards[parts.variant];
  if (wording === undefined) return undefined;
  const fixed = staticParts(content, c);
  const detail = `${interpolate(wording.detail, parts.vars)}\n${evidenceTable(parts.evidence)}\n\n${fixed.citation}`;
  const overrideReasons = fixed.overrideReasons;
  return {
    uuid: newCardId(),
    summary: fitSummary(wording.summary, parts.vars),
    indicator: parts.indicator ?? wording.indicator,
    detail,
    source: fixed.source,
    ...(parts.suggestions.length > 0 ? { suggestions: parts.suggestions, selectionBehavior: 'at-most-one' as const } : {}),
    ...(overrideReasons.length > 0 ? { overrideReasons } : {}),
    extension: { 'imaging-cds': { rule: content.rule, section: content.section, orders: parts.orders.map((o) => o.reference) } },
  };
}
