import { contrastAgent } from '../facts/order-facts';
import { LACTATION_VALUE_SETS, lactationEvidence } from '../facts/record-facts';
import type { Finding, Rule } from '../engine/types';

export interface ContrastLactationParameters {
  /** A breastfeeding-status Observation older than this is not current. */
  readonly observationLookbackDays: number;
}

/**
 * contrast-lactation (Preface-3.1, Clinical Information): "Breastfeeding individuals may reduce this risk
 * by choosing to pump and discard breast milk for 12-24 hours after the contrast injection." Info only:
 * the text names a precaution, not a change of order. CT only (the sentence is about CT contrast).
 */
export const contrastLactation: Rule<ContrastLactationParameters> = {
  code: 'contrast-lactation',
  requires: ['conditions'],
  optional: ['pregnancyObservations'],
  valueSets: LACTATION_VALUE_SETS,
  variants: ['default'],
  suggestionKeys: [],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['observationLookbackDays'],
    properties: { observationLookbackDays: { type: 'integer', minimum: 1, maximum: 730 } },
  },
  relevant: (order) => contrastAgent(order.study) === 'iodinated',
  evaluate(ctx, p, targets) {
    const evidence = lactationEvidence(ctx.record, ctx.terminology, ctx.now, p.observationLookbackDays);
    if (evidence.length === 0) return [];
    return targets.map((order): Finding => ({ rule: 'contrast-lactation', variant: 'default', orders: [order], evidence, suggestions: [] }));
  },
};
