import { contrastAgent } from '../facts/order-facts';
import { allergiesIn } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';

/**
 * shellfish-allergy (Preface-3.1, Clinical Information): "Allergies to shellfish do not increase the risk
 * of reaction to iodinated contrast media any more than that of other allergens." Info only, and only
 * when there is no iodinated-contrast allergy (then contrast-allergy speaks instead).
 */
export const shellfishAllergy: Rule = {
  code: 'shellfish-allergy',
  requires: ['allergies', 'conditions'],
  valueSets: ['shellfish-allergy', 'iodinated-contrast-allergy'],
  variants: ['default'],
  suggestionKeys: [],
  parameterSchema: { type: 'object', additionalProperties: false, properties: {} },
  relevant: (order) => contrastAgent(order.study) === 'iodinated',
  evaluate(ctx, _p, targets) {
    const shellfish = allergiesIn(ctx.record, 'shellfish-allergy', ctx.terminology, 'Shellfish allergy');
    if (shellfish.length === 0) return [];
    if (allergiesIn(ctx.record, 'iodinated-contrast-allergy', ctx.terminology, '').length > 0) return [];
    return targets.map((order): Finding => ({ rule: 'shellfish-allergy', variant: 'default', orders: [order], evidence: shellfish, suggestions: [] }));
  },
};
