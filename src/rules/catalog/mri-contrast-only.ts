import type { Finding, Rule } from '../engine/types';

export interface MriContrastOnlyParameters {
  /** How recent a non-contrast MRI must be for a with-contrast order to be its completion study ("recent", open). */
  readonly completionWindowDays: number;
}

/**
 * mri-contrast-only (Preface-3.1, Clinical Information): "MRI with contrast only is rarely appropriate and
 * is usually used to better characterize findings on a recent inconclusive non-contrast MRI, commonly
 * called a completion study." No card when a non-contrast MRI of the same region is in the recent record
 * (done, or ordered and not yet done); otherwise suggest the without-and-with study of the same family.
 */
export const mriContrastOnly: Rule<MriContrastOnlyParameters> = {
  code: 'mri-contrast-only',
  requires: ['imagingStudies', 'procedures'],
  optional: ['serviceRequests'],
  valueSets: [],
  variants: ['default'],
  suggestionKeys: ['without-and-with'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['completionWindowDays'],
    properties: { completionWindowDays: { type: 'integer', minimum: 1, maximum: 180 } },
  },
  relevant: (order) => order.study.modality === 'MRI' && order.study.contrast === 'with',
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const order of targets) {
      const completes = ctx.priorImaging(order.date ?? ctx.now, p.completionWindowDays).some(
        (prior) => prior.study.modality === 'MRI' && prior.study.contrast === 'without' && ctx.terminology.regionsOverlap(prior.study, order.study),
      );
      if (completes) continue;
      const full = ctx.terminology.contrastVariant(order.study, 'without-and-with');
      findings.push({
        rule: 'mri-contrast-only',
        variant: 'default',
        orders: [order],
        evidence: [],
        suggestions: full === undefined ? [] : [{ kind: 'replace', wording: 'without-and-with', order, replacement: full, recommended: true }],
      });
    }
    return findings;
  },
};
