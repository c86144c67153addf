import { isPet } from '../facts/order-facts';
import { orderReasons } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';


/**
 * pet-surveillance (Preface-3.1, Clinical Information): "PET is not indicated for surveillance imaging
 * unless specifically stated in the condition-specific guideline sections." Surveillance means every
 * stated indication is a history of malignancy or a follow-up after completed treatment
 * (malignancy-history-surveillance); an order that also names an active disease (restaging, suspected
 * recurrence) is not surveillance.
 */
export const petSurveillance: Rule = {
  code: 'pet-surveillance',
  requires: [],
  optional: ['conditions'],
  valueSets: ['malignancy-history-surveillance'],
  variants: ['default'],
  suggestionKeys: ['remove'],
  parameterSchema: { type: 'object', additionalProperties: false, properties: {} },
  relevant: (order) => isPet(order.study),
  evaluate(ctx, _p, targets) {
    const findings: Finding[] = [];
    for (const order of targets) {
      const reasons = orderReasons(order, ctx.record);
      if (reasons.length === 0) continue;
      const evidence: Evidence[] = [];
      let allSurveillance = true;
      for (const reason of reasons) {
        const coding = ctx.terminology.matchConcept(reason.concept, 'malignancy-history-surveillance');
        if (coding === undefined) {
          allSurveillance = false;
          break;
        }
        evidence.push({
          reference: reason.condition?.id !== undefined ? `Condition/${reason.condition.id}` : order.reference,
          what: 'Surveillance indication on the order',
          value: `${coding.display ?? reason.concept.text ?? 'indication'} (${coding.code ?? '?'})`,
        });
      }
      if (!allSurveillance) continue;
      findings.push({ rule: 'pet-surveillance', variant: 'default', orders: [order], evidence, suggestions: [{ kind: 'remove', wording: 'remove', orders: [order], recommended: false }] });
    }
    return findings;
  },
};
