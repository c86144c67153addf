import type { Content } from '../content/types';
import { KEY_LABEL } from '../fhir/data-keys';
import type { DataKey } from '../fhir/data-keys';
import { describeUnavailable } from '../fhir/unavailable';
import type { UnavailableReason } from '../fhir/unavailable';
import type { ImagingOrder } from '../orders/imaging-order';
import type { Evaluation } from '../rules/engine/evaluate';
import { EVALUATION_INCOMPLETE, EVALUATION_INCOMPLETE_VARIANTS } from '../rules/engine/types';
import { auditedCard } from './card-audit';
import type { AuditedCard } from './card-audit';
import { renderCard } from './card';

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
): AuditedCard[] {
  const content = c.rules.get(EVALUATION_INCOMPLETE);
  if (content === undefined) return [];
  const cards: AuditedCard[] = [];
  const { notRun, failed } = evaluation;
  if (notRun.length > 0) {
    const missing = missingData(new Set(notRun.flatMap((n) => n.missing)), unavailable);
    const card = renderCard(content, c, {
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
    if (card !== undefined) cards.push(auditedCard(card, EVALUATION_INCOMPLETE, targets, []));
  }
  if (failed.length > 0) {
    const orders = targets.filter((o) => failed.some((f) => f.orders.includes(o)));
    const card = renderCard(content, c, {
      variant: RULE_FAILED,
      orders,
      vars: { checks: failed.map((f) => checkName(f.rule, c)).join(', '), orders: orders.map((o) => o.display).join(', ') },
      evidence: [],
      suggestions: [],
    });
    if (card !== undefined) cards.push(auditedCard(card, EVALUATION_INCOMPLETE, orders, []));
  }
  return cards;
}
