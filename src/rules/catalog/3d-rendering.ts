import type { ImagingOrder } from '../../orders/imaging-order';
import { orderEvidence, orderedCode } from '../facts/order-facts';
import type { Finding, Rule } from '../engine/types';

export interface ThreeDRenderingParameters {
  readonly renderingCodes: readonly string[];
  /** Modalities 3D rendering is not billed with (CTA, MRA, PET, PET/CT, nuclear medicine/SPECT). */
  readonly excludedModalities: readonly string[];
  /** Regions whose studies exclude it (breast: mammography, breast MRI/US; cardiac: cardiac MRI/CT, coronary CTA). */
  readonly excludedRegions: readonly string[];
  /** Further codes (CT colonography 74261-74263). */
  readonly excludedCodes: readonly string[];
}

const matches = (o: ImagingOrder, p: ThreeDRenderingParameters): boolean =>
  p.excludedModalities.includes(o.study.modality) || p.excludedRegions.includes(o.study.region) || p.excludedCodes.includes(o.study.code);

/**
 * 3d-rendering (Preface-4.1): "CPT codes for 3D rendering should not be billed in conjunction with
 * computer-aided detection (CAD), MRA, CTA, nuclear medicine SPECT studies, PET, PET/CT, Mammogram, MRI
 * Breast, US Breast, CT Colonography (virtual colonoscopy), Cardiac MRI, Cardiac CT, or Coronary CTA
 * studies." Fires on a 76376/76377 order when the draft also holds such a study; 3D rendering with any other
 * study is left alone ("do not require prior authorization through EviCore").
 */
export const threeDRendering: Rule<ThreeDRenderingParameters> = {
  code: '3d-rendering',
  requires: [],
  valueSets: [],
  variants: ['not-with-study'],
  suggestionKeys: ['remove-rendering'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['renderingCodes', 'excludedModalities', 'excludedRegions', 'excludedCodes'],
    properties: {
      renderingCodes: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9A-Z]{5}$' } },
      excludedModalities: { type: 'array', items: { enum: ['CT', 'CTA', 'MRI', 'MRA', 'PET', 'PET/CT', 'NM', 'US', 'XR', 'other'] } },
      excludedRegions: { type: 'array', items: { type: 'string' } },
      excludedCodes: { type: 'array', items: { type: 'string', pattern: '^[0-9A-Z]{5}$' } },
    },
  },
  relevant: () => true,
  evaluate(ctx, p, targets) {
    const findings: Finding[] = [];
    for (const rendering of targets.filter((o) => p.renderingCodes.includes(orderedCode(o)))) {
      const with_ = ctx.orders.filter((o) => o !== rendering && !p.renderingCodes.includes(orderedCode(o)) && matches(o, p));
      if (with_.length === 0) continue;
      findings.push({
        rule: '3d-rendering',
        variant: 'not-with-study',
        orders: [rendering, ...with_],
        evidence: [orderEvidence(rendering, '3D rendering'), ...with_.map((o) => orderEvidence(o, 'Ordered with'))],
        vars: { studies: with_.map((o) => o.display).join(', ') },
        suggestions: [{ kind: 'remove', wording: 'remove-rendering', orders: [rendering], recommended: true }],
      });
    }
    return findings;
  },
};
