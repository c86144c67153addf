import { priorEvidence } from '../facts/prior-imaging';
import type { Finding, Rule } from '../engine/types';

export interface DoubleContrastCtParameters {
  /** "a very recent (within two weeks) inconclusive non-contrast CT" (Preface-3.1). */
  readonly completionWindowDays: number;
}

/**
 * double-contrast-ct (Preface-3.1, Clinical Information): "CT without and with contrast has a limited role
 * as the risks of doubling the ionizing radiation exposure rarely outweigh the benefits of multiphasic
 * imaging". CTA codes carry their own phases and are never "double contrast" (modality CTA is excluded).
 * The named exceptions are override reasons; the suggestion is the with-contrast study of the same
 * family. When a non-contrast CT of the same region is in the record within two weeks, the card says that
 * a with-contrast completion study is the supported path.
 */
export const doubleContrastCt: Rule<DoubleContrastCtParameters> = {
  code: 'double-contrast-ct',
  requires: [],
  optional: ['imagingStudies', 'procedures', 'serviceRequests'],
  valueSets: [],
  variants: ['default', 'completion'],
  suggestionKeys: ['with-contrast'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['completionWindowDays'],
    properties: { completionWindowDays: { type: 'integer', minimum: 1, maximum: 90 } },
  },
  relevant: (order) => order.study.modality === 'CT' && order.study.contrast === 'without-and-with',
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const order of targets) {
      const on = order.date ?? ctx.now;
      const recentPlain = ctx.priorImaging(on, p.completionWindowDays).filter(
        (prior) => prior.state === 'done' && prior.study.modality === 'CT' && prior.study.contrast === 'without' && ctx.terminology.regionsOverlap(prior.study, order.study),
      );
      const withContrast = ctx.terminology.contrastVariant(order.study, 'with');
      findings.push({
        rule: 'double-contrast-ct',
        variant: recentPlain.length > 0 ? 'completion' : 'default',
        orders: [order],
        evidence: recentPlain.map((prior) => priorEvidence(prior, 'Recent non-contrast CT of the same region')),
        vars: recentPlain[0] !== undefined ? { prior: `${recentPlain[0].display} on ${recentPlain[0].date.toISOString().slice(0, 10)}` } : {},
        suggestions: withContrast === undefined ? [] : [{ kind: 'replace', wording: 'with-contrast', order, replacement: withContrast, recommended: recentPlain.length > 0 }],
      });
    }
    return findings;
  },
};
