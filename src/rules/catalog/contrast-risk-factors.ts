import { contrastAgent } from '../facts/order-facts';
import { conditionsIn } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';
import type { Evidence } from '../facts/evidence';

export interface ContrastRiskFactorsParameters {
  /** "very elderly" (Preface-3.1) is left open by the text: age on the order date at or above this. */
  readonly veryElderlyAge: number;
}

/**
 * contrast-risk-factors (Preface-3.1, Clinical Information): "CT without contrast may be appropriate if
 * clinical criteria for CT with contrast are met AND the individual has/is: ... thyroid disease which
 * could be treated with I-131, diabetes, very elderly". Info with the non-contrast CT as an option, never
 * recommended: the text says "may be appropriate", not "should".
 */
export const contrastRiskFactors: Rule<ContrastRiskFactorsParameters> = {
  code: 'contrast-risk-factors',
  requires: ['conditions'],
  optional: ['patient'],
  valueSets: ['i131-thyroid-disease', 'diabetes'],
  variants: ['default'],
  suggestionKeys: ['without-contrast'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['veryElderlyAge'],
    properties: { veryElderlyAge: { type: 'integer', minimum: 60, maximum: 120 } },
  },
  relevant: (order) => contrastAgent(order.study) === 'iodinated',
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    const conditions = [
      ...conditionsIn(ctx.record, 'i131-thyroid-disease', ctx.terminology, 'Thyroid disease that could be treated with I-131'),
      ...conditionsIn(ctx.record, 'diabetes', ctx.terminology, 'Diabetes'),
    ];
    // CTA is included: its contrast is iodinated too; the CT without contrast is offered only when it exists.
    for (const order of targets) {
      const age = ctx.ageOnOrder(order);
      const evidence: Evidence[] = [...conditions];
      if (age !== undefined && age.age >= p.veryElderlyAge) evidence.push({ ...age.evidence, what: `Very elderly (${p.veryElderlyAge} or older) on the order date` });
      if (evidence.length === 0) continue;
      const without = ctx.terminology.contrastVariant(order.study, 'without');
      findings.push({
        rule: 'contrast-risk-factors',
        variant: 'default',
        orders: [order],
        evidence,
        vars: { finding: evidence.map((e) => e.what).join('; ') },
        suggestions: without === undefined ? [] : [{ kind: 'replace', wording: 'without-contrast', order, replacement: without, recommended: false }],
      });
    }
    return findings;
  },
};
