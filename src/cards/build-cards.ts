import type { Card, Indicator, Suggestion } from '../cds-hooks/types';
import type { Content, RuleContent } from '../content/types';
import { KEY_LABEL } from '../fhir/data-keys';
import type { DataKey } from '../fhir/data-keys';
import type { ImagingOrder } from '../orders/imaging-order';
import type { Evaluation } from '../rules/engine/evaluate';
import { EVALUATION_INCOMPLETE } from '../rules/engine/types';
import type { Finding } from '../rules/engine/types';
import type { Evidence } from '../rules/facts/evidence';
import { cell, fitSummary, interpolate } from './interpolate';
import { buildSuggestion } from './suggestions';
import { newCardId } from './card-ids';

const SEVERITY: Readonly<Record<Indicator, number>> = { critical: 0, warning: 1, info: 2 };

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

function card(
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

/** One card per finding (docs/rules.md "Every card"), wording from the rule's reviewed content. */
export function cardForFinding(finding: Finding, c: Content): Card | undefined {
  const content = c.rules.get(finding.rule);
  if (content === undefined) return undefined;
  const suggestions = finding.suggestions
    .map((s) => buildSuggestion(s, content))
    .filter((s): s is Suggestion => s !== undefined);
  // at-most-one: only one suggestion may be recommended (CDS Hooks 3.0 invariant cds-resp-1, sensible in 2.0).
  let recommendedSeen = false;
  const normalised = suggestions.map((s) => {
    if (s.isRecommended !== true) return s;
    if (recommendedSeen) return { ...s, isRecommended: false };
    recommendedSeen = true;
    return s;
  });
  return card(content, c, {
    variant: finding.variant,
    orders: finding.orders,
    vars: { order: finding.orders.map((o) => o.display).join(' + '), ...(finding.vars ?? {}) },
    evidence: finding.evidence,
    suggestions: normalised,
    ...(finding.indicator !== undefined ? { indicator: finding.indicator } : {}),
  });
}

/** The info card that keeps silence from being mistaken for clearance (docs/rules.md evaluation-incomplete). */
export function incompleteCard(
  notRun: readonly { readonly rule: string; readonly missing: readonly DataKey[] }[],
  failed: readonly string[],
  orders: readonly ImagingOrder[],
  c: Content,
): Card | undefined {
  if (notRun.length === 0 && failed.length === 0) return undefined;
  const content = c.rules.get(EVALUATION_INCOMPLETE);
  if (content === undefined) return undefined;
  const missing = [...new Set(notRun.flatMap((n) => n.missing))].map((k) => KEY_LABEL[k]);
  const checks = [...notRun.map((n) => n.rule), ...failed].map((code) => `${code} (${c.rules.get(code)?.title ?? code})`);
  return card(content, c, {
    variant: 'default',
    orders,
    vars: {
      unavailable: missing.length > 0 ? missing.join(', ') : 'part of the record',
      checks: checks.join(', '),
      orders: orders.map((o) => o.display).join(', '),
    },
    evidence: [],
    suggestions: [],
  });
}

/**
 * One card per finding per order, no duplicates, sorted critical, warning, info (docs/rules.md "Every card");
 * within a level, in rule-catalog order. `maxCards` keeps the most severe.
 */
export function finaliseCards(cards: readonly Card[], ruleRank: ReadonlyMap<string, number>, maxCards?: number): Card[] {
  const seen = new Set<string>();
  const unique = cards.filter((card) => {
    const ext = card.extension['imaging-cds'];
    const key = `${ext.rule}|${[...ext.orders].sort().join(',')}|${card.summary}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rank = (rule: string): number => ruleRank.get(rule) ?? ruleRank.size;
  unique.sort(
    (a, b) =>
      SEVERITY[a.indicator] - SEVERITY[b.indicator] ||
      rank(a.extension['imaging-cds'].rule) - rank(b.extension['imaging-cds'].rule),
  );
  return maxCards === undefined ? unique : unique.slice(0, maxCards);
}

/** Findings of one call -> the cards it answers with (incomplete-evaluation card included). */
export function buildCards(evaluation: Evaluation, targets: readonly ImagingOrder[], content: Content, ruleRank: ReadonlyMap<string, number>, maxCards?: number): Card[] {
  const cards = evaluation.findings.map((f) => cardForFinding(f, content)).filter((c): c is Card => c !== undefined);
  const incomplete = incompleteCard(evaluation.notRun, evaluation.failed, targets, content);
  const all = finaliseCards(cards, ruleRank, maxCards);
  // The incomplete card is never cut by max-cards: silence must not be mistaken for clearance.
  return incomplete === undefined ? all : [...all, incomplete];
}
