import type { Card } from '../cds-hooks/types';
import type { Content } from '../content/types';
import type { ImagingOrder } from '../orders/imaging-order';
import type { Evaluation } from '../rules/engine/evaluate';
import { cardForFinding, finaliseCards, incompleteCard } from './build-cards';

/** Findings of one call -> the cards it answers with (incomplete-evaluation card included). */
export function buildCards(evaluation: Evaluation, targets: readonly ImagingOrder[], content: Content, ruleRank: ReadonlyMap<string, number>, maxCards?: number): Card[] {
  const cards = evaluation.findings.map((f) => cardForFinding(f, content)).filter((c): c is Card => c !== undefined);
  const incomplete = incompleteCard(evaluation.notRun, evaluation.failed, targets, content);
  const all = finaliseCards(cards, ruleRank, maxCards);
  // The incomplete card is never cut by max-cards: silence must not be mistaken for clearance.
  return incomplete === undefined ? all : [...all, incomplete];
}
