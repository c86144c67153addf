import { contrastAgent } from '../facts/order-facts';
import { allergiesIn } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';

/**
 * contrast-allergy (Preface-3.1, Clinical Information): "CT without contrast may be appropriate if
 * clinical criteria for CT with contrast are met AND the individual has ... allergies to iodinated
 * contrast"; "MRI may be preferred in individuals ... allergic to intravenous CT contrast". Gadolinium
 * allergy with an MRI with gadolinium is the same finding for MRI. The agent is matched to the allergy:
 * an iodinated-contrast allergy says nothing about gadolinium, and vice versa.
 */
export const contrastAllergy: Rule = {
  code: 'contrast-allergy',
  requires: ['allergies', 'conditions'],
  valueSets: ['iodinated-contrast-allergy', 'gadolinium-contrast-allergy'],
  variants: ['ct', 'mri'],
  suggestionKeys: ['without-contrast'],
  parameterSchema: { type: 'object', additionalProperties: false, properties: {} },
  relevant: (order) => contrastAgent(order.study) !== undefined,
  evaluate(ctx, _p, targets) {
    const iodinated = allergiesIn(ctx.record, 'iodinated-contrast-allergy', ctx.terminology, 'Iodinated contrast allergy');
    const gadolinium = allergiesIn(ctx.record, 'gadolinium-contrast-allergy', ctx.terminology, 'Gadolinium contrast allergy');
    const findings: Finding[] = [];
    for (const order of targets) {
      const agent = contrastAgent(order.study);
      const evidence = agent === 'iodinated' ? iodinated : gadolinium;
      if (evidence.length === 0) continue;
      const without = ctx.terminology.contrastVariant(order.study, 'without');
      findings.push({
        rule: 'contrast-allergy',
        variant: agent === 'iodinated' ? 'ct' : 'mri',
        orders: [order],
        evidence,
        vars: { finding: evidence.map((e) => e.value ?? e.what).join('; ') },
        suggestions: without === undefined ? [] : [{ kind: 'replace', wording: 'without-contrast', order, replacement: without, recommended: true }],
      });
    }
    return findings;
  },
};
