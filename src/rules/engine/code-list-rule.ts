import type { ImagingOrder } from '../../orders/imaging-order';
import { orderEvidence, orderedCode } from '../facts/order-facts';
import type { Finding, Rule } from './types';

/** Parameters of a rule that fires on the order's own code: the code list is reviewed content. */
export interface CodeListParameters {
  readonly codes: readonly string[];
}

export const CODE_LIST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['codes'],
  properties: { codes: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9A-Z]{5}$' } } },
} as const;

/**
 * A coding or benefit rule (Preface-2, Preface-4) that judges one order by its code alone: no record data
 * (empty `requires`), so it still works when the FHIR server is down. The code is matched as ordered, so an
 * HCPCS code is recognised as itself even when it has a CPT twin.
 */
export function codeListRule<P extends CodeListParameters = CodeListParameters>(spec: {
  readonly code: string;
  readonly variant: string;
  /** Key of a 'remove' suggestion wording, when the text says the order should not go ahead as coded. */
  readonly removeWording?: string;
  /** Any further condition on the order (e.g. not part of a whole-body or PET-MRI request). */
  readonly also?: (order: ImagingOrder, all: readonly ImagingOrder[], parameters: P) => boolean;
  readonly parameterSchema?: object;
}): Rule<P> {
  return {
    code: spec.code,
    requires: [],
    valueSets: [],
    variants: [spec.variant],
    suggestionKeys: spec.removeWording === undefined ? [] : [spec.removeWording],
    parameterSchema: spec.parameterSchema ?? CODE_LIST_SCHEMA,
    // Cheap and parameter-free: the code list is checked in evaluate; this only keeps record keys unread.
    relevant: () => true,
    evaluate(ctx, p, targets) {
      return targets
        .filter((o) => p.codes.includes(orderedCode(o)) || p.codes.includes(o.study.code))
        .filter((o) => spec.also === undefined || spec.also(o, ctx.orders, p))
        .map(
          (order): Finding => ({
            rule: spec.code,
            variant: spec.variant,
            orders: [order],
            evidence: [orderEvidence(order, 'Ordered code')],
            vars: { code: orderedCode(order) },
            suggestions: spec.removeWording === undefined ? [] : [{ kind: 'remove', wording: spec.removeWording, orders: [order], recommended: true }],
          }),
        );
    },
  };
}
