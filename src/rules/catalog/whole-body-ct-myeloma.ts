import { anyTarget, orderEvidence, reasonEvidence } from '../facts/order-facts';
import { conditionsIn, orderReasons } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';
import { mayBeWholeBodyCt, wholeBodyCtOrders } from '../facts/whole-body-request';
import { WHOLE_BODY_CT_PARAMETER_SCHEMA } from '../facts/whole-body-request';
import type { WholeBodyCtParameters } from '../facts/whole-body-request';

const MYELOMA = 'multiple-myeloma';

/**
 * whole-body-ct-myeloma (Preface-5.1): "Whole-body low-dose CT is supported for oncologic staging in
 * Multiple Myeloma." The same whole-body CT request as whole-body-ct-screening, where the record (current
 * Condition) or the order's own reason shows multiple myeloma or plasmacytoma: an info card pointing to
 * ONC-25, no change needed.
 */
export const wholeBodyCtMyeloma: Rule<WholeBodyCtParameters> = {
  code: 'whole-body-ct-myeloma',
  requires: ['conditions'],
  valueSets: [MYELOMA],
  variants: ['myeloma'],
  suggestionKeys: [],
  parameterSchema: WHOLE_BODY_CT_PARAMETER_SCHEMA,
  relevant: mayBeWholeBodyCt,
  evaluate(ctx, p) {
    const set = wholeBodyCtOrders(ctx.orders, ctx.terminology, p);
    if (set === undefined || !anyTarget(set)) return [];
    const evidence: Evidence[] = conditionsIn(ctx.record, MYELOMA, ctx.terminology, 'Myeloma or plasmacytoma on the problem list');
    for (const order of set) {
      for (const { concept } of orderReasons(order, ctx.record)) {
        const coding = ctx.terminology.matchConcept(concept, MYELOMA);
        if (coding !== undefined) evidence.push(reasonEvidence(order, coding.code ?? '?', coding.display ?? concept.text ?? 'myeloma', 'Reason on the order'));
      }
    }
    if (evidence.length === 0) return [];
    const finding: Finding = {
      rule: 'whole-body-ct-myeloma',
      variant: 'myeloma',
      orders: set,
      evidence: [...evidence, ...set.map((o) => orderEvidence(o, 'Part of the whole-body CT'))],
      vars: { parts: set.map((o) => o.display).join(', ') },
      suggestions: [],
    };
    return [finding];
  },
};
