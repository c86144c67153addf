import { anyTarget, orderEvidence, reasonEvidence, unresolvedReasonReferences } from '../facts/order-facts';
import { conditionsIn, orderReasons } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';
import { WHOLE_BODY_CT_PARAMETER_SCHEMA, mayBeWholeBodyCt, wholeBodyCtOrders } from '../facts/whole-body-request';
import type { WholeBodyCtParameters } from '../facts/whole-body-request';

const SCREENING = 'screening-encounters';
const MYELOMA = 'multiple-myeloma';

/**
 * whole-body-ct-screening (Preface-5.1): "Whole-body CT or LifeScan (CT Brain, Chest, Abdomen, and Pelvis)
 * for screening of asymptomatic individuals is not a covered benefit." Screening = the orders state no
 * reason at all, or only screening reasons (value set screening-encounters). Any other reason (a known or
 * suspected disease, e.g. cancer staging) is a work-up, not screening, and stays silent here; myeloma or
 * plasmacytoma (record or reason) belongs to whole-body-ct-myeloma instead.
 */
export const wholeBodyCtScreening: Rule<WholeBodyCtParameters> = {
  code: 'whole-body-ct-screening',
  requires: ['conditions'],
  valueSets: [SCREENING, MYELOMA],
  variants: ['screening', 'no-indication'],
  suggestionKeys: ['remove-orders'],
  parameterSchema: WHOLE_BODY_CT_PARAMETER_SCHEMA,
  relevant: mayBeWholeBodyCt,
  evaluate(ctx, p) {
    const set = wholeBodyCtOrders(ctx.orders, ctx.terminology, p);
    if (set === undefined || !anyTarget(set)) return [];
    if (conditionsIn(ctx.record, MYELOMA, ctx.terminology, 'Myeloma').length > 0) return [];
    const screeningReasons: Evidence[] = [];
    for (const order of set) {
      if (unresolvedReasonReferences(order, ctx.record) > 0) return [];
      for (const { concept } of orderReasons(order, ctx.record)) {
        if (ctx.terminology.matchConcept(concept, MYELOMA) !== undefined) return [];
        const screening = ctx.terminology.matchConcept(concept, SCREENING);
        // A reason outside the screening value set (coded or free text) is an indication: not screening.
        if (screening === undefined) return [];
        screeningReasons.push(reasonEvidence(order, screening.code ?? '?', screening.display ?? concept.text ?? 'screening', 'Screening reason on the order'));
      }
    }
    const finding: Finding = {
      rule: 'whole-body-ct-screening',
      variant: screeningReasons.length > 0 ? 'screening' : 'no-indication',
      orders: set,
      evidence: [...set.map((o) => orderEvidence(o, 'Part of the whole-body CT')), ...screeningReasons],
      vars: { parts: set.map((o) => o.display).join(', ') },
      suggestions: [{ kind: 'remove', wording: 'remove-orders', orders: set, recommended: true }],
    };
    return [finding];
  },
};
