import type { Card, Indicator, Suggestion } from '../cds-hooks/types';
import type { Content, RuleContent } from '../content/types';
import { KEY_LABEL } from '../fhir/data-keys';
import type { DataKey } from '../fhir/data-keys';
import { describeUnavailable } from '../fhir/unavailable';
import type { UnavailableReason } from '../fhir/unavailable';
import type { ImagingOrder } from '../orders/imaging-order';
import type { Evaluation } from '../rules/engine/evaluate';
import { EVALUATION_INCOMPLETE, EVALUATION_INCOMPLETE_VARIANTS } from '../rules/engine/types';
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

/** One card per finding (RULES.md "Every card"), wording from the rule's reviewed content. */
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

const [RECORD_UNAVAILABLE, RULE_FAILED] = EVALUATION_INCOMPLETE_VARIANTS;

/** "contrast-renal (Contrast and kidney function)": a check as the incomplete cards name it. */
const checkName = (code: string, c: Content): string => `${code} (${c.rules.get(code)?.title ?? code})`;

/**
 * The record data the checks lacked, each with why it could not be read, keys with the same reason together:
 * "the kidney-function labs, the procedures (503 from the FHIR server)".
 */
function missingData(keys: ReadonlySet<DataKey>, unavailable: ReadonlyMap<DataKey, UnavailableReason>): string {
  const byReason = new Map<string, string[]>();
  for (const key of keys) {
    const reason = unavailable.get(key);
    const why = reason === undefined ? '' : describeUnavailable(reason);
    byReason.set(why, [...(byReason.get(why) ?? []), KEY_LABEL[key]]);
  }
  return [...byReason].map(([why, labels]) => (why === '' ? labels.join(', ') : `${labels.join(', ')} (${why})`)).join('; ');
}

/**
 * The info cards that keep silence from being mistaken for clearance (RULES.md evaluation-incomplete):
 * one for the checks that could not run for lack of record data, on every target, saying which data and
 * why; one for the checks that threw, on the orders they were judging.
 */
export function incompleteCards(
  evaluation: Pick<Evaluation, 'notRun' | 'failed'>,
  targets: readonly ImagingOrder[],
  unavailable: ReadonlyMap<DataKey, UnavailableReason>,
  c: Content,
): Card[] {
  const content = c.rules.get(EVALUATION_INCOMPLETE);
  if (content === undefined) return [];
  const cards: Card[] = [];
  const { notRun, failed } = evaluation;
  if (notRun.length > 0) {
    const missing = missingData(new Set(notRun.flatMap((n) => n.missing)), unavailable);
    const recordCard = card(content, c, {
      variant: RECORD_UNAVAILABLE,
      orders: targets,
      vars: {
        unavailable: missing.length > 0 ? missing : 'part of the record',
        checks: notRun.map((n) => checkName(n.rule, c)).join(', '),
        orders: targets.map((o) => o.display).join(', '),
      },
      evidence: [],
      suggestions: [],
    });
    if (recordCard !== undefined) cards.push(recordCard);
  }
  if (failed.length > 0) {
    const orders = targets.filter((o) => failed.some((f) => f.orders.includes(o)));
    const failedCard = card(content, c, {
      variant: RULE_FAILED,
      orders,
      vars: { checks: failed.map((f) => checkName(f.rule, c)).join(', '), orders: orders.map((o) => o.display).join(', ') },
      evidence: [],
      suggestions: [],
    });
    if (failedCard !== undefined) cards.push(failedCard);
  }
  return cards;
}

/**
 * One card per finding per order, no duplicates, sorted critical, warning, info (RULES.md "Every card");
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
export function buildCards(
  evaluation: Evaluation,
  targets: readonly ImagingOrder[],
  unavailable: ReadonlyMap<DataKey, UnavailableReason>,
  content: Content,
  ruleRank: ReadonlyMap<string, number>,
  maxCards?: number,
): Card[] {
  const cards = evaluation.findings.map((f) => cardForFinding(f, content)).filter((c): c is Card => c !== undefined);
  // The incomplete cards are never cut by max-cards: silence must not be mistaken for clearance.
  return [...finaliseCards(cards, ruleRank, maxCards), ...incompleteCards(evaluation, targets, unavailable, content)];
}
