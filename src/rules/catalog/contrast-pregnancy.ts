import { contrastAgent } from '../facts/order-facts';
import { PREGNANCY_VALUE_SETS, pregnancyEvidence } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';

export interface ContrastPregnancyParameters {
  /** Pregnancy status observations and hCG tests older than this are not current evidence. */
  readonly testLookbackDays: number;
}

/**
 * contrast-pregnancy (Preface-3.1, Clinical Information): "The use of CT contrast should proceed with
 * caution in pregnant ... individuals ... The procedure can be performed if the specific need for that
 * contrast-enhanced procedure outweighs risk to the fetus." and "The use of gadolinium contrast agents is
 * contraindicated during pregnancy unless the specific need for that procedure outweighs risk to the
 * fetus." Pregnancy only on evidence: an active pregnancy Condition, or a positive latest status/hCG.
 */
export const contrastPregnancy: Rule<ContrastPregnancyParameters> = {
  code: 'contrast-pregnancy',
  requires: ['conditions', 'pregnancyObservations'],
  valueSets: PREGNANCY_VALUE_SETS,
  variants: ['ct', 'mri'],
  suggestionKeys: ['without-contrast'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['testLookbackDays'],
    properties: { testLookbackDays: { type: 'integer', minimum: 1, maximum: 300 } },
  },
  relevant: (order) => contrastAgent(order.study) !== undefined,
  evaluate(ctx, p, targets) {
    const evidence = pregnancyEvidence(ctx.record, ctx.terminology, ctx.now, p.testLookbackDays);
    if (evidence.length === 0) return [];
    return targets.map((order): Finding => {
      const mri = contrastAgent(order.study) === 'gadolinium';
      const without = ctx.terminology.contrastVariant(order.study, 'without');
      return {
        rule: 'contrast-pregnancy',
        variant: mri ? 'mri' : 'ct',
        orders: [order],
        evidence,
        vars: { finding: evidence.map((e) => e.value ?? e.what).join('; ') },
        // MRI: gadolinium is contraindicated, the non-contrast MRI is the recommended path. CT: the text
        // allows proceeding when the need outweighs the risk, so the non-contrast CT is only an option.
        suggestions: without === undefined ? [] : [{ kind: 'replace', wording: 'without-contrast', order, replacement: without, recommended: mri }],
      };
    });
  },
};
