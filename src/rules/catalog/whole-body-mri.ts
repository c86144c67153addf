import { anyTarget, orderEvidence, reasonEvidence } from '../facts/order-facts';
import { conditionsIn, orderReasons } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';
import { WBMRI_PARAMETER_SCHEMA, wbmriRequest } from '../facts/whole-body-request';
import type { WholeBodyMriParameters } from '../facts/whole-body-request';

/** Value sets of the exceptions Preface-5.2 names (cancer predisposition syndromes; CRMO). */
const QUALIFYING = ['wbmri-cancer-predisposition', 'crmo'] as const;

/**
 * whole-body-mri (Preface-5.2): "Whole-body MRI (WBMRI) is, with the exception of select cancer
 * predisposition syndromes and autoimmune conditions discussed below, generally not supported." Graded by
 * what documents the exception: a qualifying condition on the record -> info (naming the pediatric
 * section); only on the order's reason -> warning (the record must show it for review); nothing ->
 * critical. Cancer staging is not an exception ("Evidence has not been published establishing WBMRI as a
 * standard evaluation for any type of cancer").
 */
export const wholeBodyMri: Rule<WholeBodyMriParameters> = {
  code: 'whole-body-mri',
  requires: ['conditions'],
  valueSets: QUALIFYING,
  variants: ['qualifying-condition', 'reason-only', 'not-supported'],
  suggestionKeys: ['remove-orders'],
  parameterSchema: WBMRI_PARAMETER_SCHEMA,
  relevant: (order) => order.study.modality === 'MRI',
  evaluate(ctx, p) {
    const request = wbmriRequest(ctx.orders, ctx.terminology, p);
    if (request === undefined || !anyTarget(request.orders)) return [];
    const recorded: Evidence[] = QUALIFYING.flatMap((vs) => conditionsIn(ctx.record, vs, ctx.terminology, 'Qualifying condition on the problem list'));
    const stated: Evidence[] = [];
    for (const order of request.orders) {
      for (const { concept } of orderReasons(order, ctx.record)) {
        for (const vs of QUALIFYING) {
          const coding = ctx.terminology.matchConcept(concept, vs);
          if (coding !== undefined) stated.push(reasonEvidence(order, coding.code ?? '?', coding.display ?? concept.text ?? vs, 'Qualifying condition stated as the reason'));
        }
      }
    }
    const variant = recorded.length > 0 ? 'qualifying-condition' : stated.length > 0 ? 'reason-only' : 'not-supported';
    const conditionText = [...recorded, ...stated].map((e) => e.value ?? '').filter((v) => v.length > 0);
    const finding: Finding = {
      rule: 'whole-body-mri',
      variant,
      orders: request.orders,
      evidence: [...recorded, ...stated, ...request.orders.map((o) => orderEvidence(o, 'Part of the whole-body MRI'))],
      vars: { condition: [...new Set(conditionText)].join('; ') },
      suggestions: variant === 'not-supported' ? [{ kind: 'remove', wording: 'remove-orders', orders: request.orders, recommended: false }] : [],
    };
    return [finding];
  },
};
