import { orderEvidence, orderText, orderedCode, textMatches } from '../facts/order-facts';
import type { Finding, Rule } from '../engine/types';

export interface LimitedCtParameters {
  readonly limitedCtCode: string;
  /** Free text that marks a treatment-planning request (radiation planning, simulation). */
  readonly planningTextPatterns: readonly string[];
  /** ICD-10-CM codes (prefix match) of a planning encounter, e.g. Z51.0 radiotherapy. */
  readonly planningReasonCodes: readonly string[];
}

/**
 * limited-ct (Preface-4.5): "It is inappropriate to report CPT 76380, in conjunction with other diagnostic
 * CT codes, to cover 'extra slices'" and "Limited CT (CPT 76380) is not indicated for treatment planning
 * purposes." 76380 alone for a limited follow-up (nodule, non-healing fracture) is its intended use and is
 * left alone.
 */
export const limitedCt: Rule<LimitedCtParameters> = {
  code: 'limited-ct',
  requires: [],
  valueSets: [],
  variants: ['extra-slices', 'treatment-planning'],
  suggestionKeys: ['remove-limited-ct'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['limitedCtCode', 'planningTextPatterns', 'planningReasonCodes'],
    properties: {
      limitedCtCode: { type: 'string', pattern: '^[0-9A-Z]{5}$' },
      planningTextPatterns: { type: 'array', items: { type: 'string', minLength: 1 } },
      planningReasonCodes: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
  },
  relevant: (order) => order.study.modality === 'CT',
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const order of targets.filter((o) => orderedCode(o) === p.limitedCtCode)) {
      const others = ctx.orders.filter((o) => o !== order && o.study.modality === 'CT' && orderedCode(o) !== p.limitedCtCode);
      if (others.length > 0) {
        findings.push({
          rule: 'limited-ct',
          variant: 'extra-slices',
          orders: [order, ...others],
          evidence: [orderEvidence(order, 'Limited CT'), ...others.map((o) => orderEvidence(o, 'Diagnostic CT in the same draft'))],
          vars: { studies: others.map((o) => o.display).join(', ') },
          suggestions: [{ kind: 'remove', wording: 'remove-limited-ct', orders: [order], recommended: true }],
        });
        continue;
      }
      const planningCode = (order.resource.reasonCode ?? [])
        .flatMap((c) => c.coding ?? [])
        .find((k) => p.planningReasonCodes.some((prefix) => (k.code ?? '').startsWith(prefix)));
      if (planningCode !== undefined || textMatches(orderText(order.resource), p.planningTextPatterns)) {
        findings.push({
          rule: 'limited-ct',
          variant: 'treatment-planning',
          orders: [order],
          evidence: [
            orderEvidence(order, 'Limited CT'),
            {
              reference: order.reference,
              what: 'Treatment-planning purpose',
              value: planningCode !== undefined ? `${planningCode.display ?? 'reason'} (${planningCode.code ?? '?'})` : orderText(order.resource),
            },
          ],
          suggestions: [],
        });
      }
    }
    return findings;
  },
};
