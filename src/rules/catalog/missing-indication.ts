import { hasIndication } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';

/**
 * missing-indication (Preface-3.1, Clinical Information): "The clinical history should include a
 * potential indication such as a known or suspected abnormality involving the body part for which the
 * imaging study is being requested." An order with neither reasonCode nor reasonReference states none.
 * No suggestion: the service never invents the indication.
 */
export const missingIndication: Rule = {
  code: 'missing-indication',
  requires: [],
  valueSets: [],
  variants: ['default'],
  suggestionKeys: [],
  parameterSchema: { type: 'object', additionalProperties: false, properties: {} },
  relevant: (order) => !hasIndication(order),
  evaluate(_ctx, _p, targets) {
    return targets.map((order): Finding => ({
        rule: 'missing-indication',
        variant: 'default',
        orders: [order],
        evidence: [{ reference: order.reference, what: 'Order reason', value: 'none (no reasonCode, no reasonReference)' }],
        suggestions: [],
      }));
  },
};
