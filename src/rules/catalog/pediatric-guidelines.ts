import type { Finding, Rule } from '../engine/types';

export interface PediatricGuidelinesParameters {
  /** "Individuals who are 18 years old or younger" (Preface-3.1). */
  readonly pediatricMaxAge: number;
}

/**
 * pediatric-guidelines (Preface-3.1, Clinical Documentation and Age Considerations): "Individuals who are
 * 18 years old or younger should be imaged according to the Pediatric Imaging Guidelines"; for CT, "CT
 * should not be used to replace MRI in an attempt to avoid sedation" and adult CT protocols for children
 * are named overutilization. Age is computed on the order date.
 */
export const pediatricGuidelines: Rule<PediatricGuidelinesParameters> = {
  code: 'pediatric-guidelines',
  requires: ['patient'],
  valueSets: [],
  variants: ['ct', 'default'],
  suggestionKeys: [],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['pediatricMaxAge'],
    properties: { pediatricMaxAge: { type: 'integer', minimum: 0, maximum: 25 } },
  },
  relevant: (order) => order.study.modality !== 'other' && order.study.modality !== 'XR',
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const order of targets) {
      const age = ctx.ageOnOrder(order);
      if (age === undefined || age.age > p.pediatricMaxAge) continue;
      const ct = order.study.modality === 'CT' || order.study.modality === 'CTA';
      findings.push({ rule: 'pediatric-guidelines', variant: ct ? 'ct' : 'default', orders: [order], evidence: [age.evidence], vars: { age: String(age.age) }, suggestions: [] });
    }
    return findings;
  },
};
