import type { ImagingOrder } from '../../orders/imaging-order';
import type { Region } from '../../terminology/types';
import { orderEvidence, orderedCode } from '../facts/order-facts';
import type { Finding, Rule } from '../engine/types';

export interface PetCtUnbundlingParameters {
  /**
   * PET codes and the body regions each covers; "*" = any body region (78811 limited area: the code does
   * not say which, so any diagnostic CT of the body goes with it).
   */
  readonly petCoverage: Readonly<Record<string, readonly string[]>>;
}

/**
 * pet-ct-unbundling (Preface-3.1, PET): "The unbundling of PET/CT into separate PET and diagnostic CT CPT
 * codes is not supported, because PET/CT is done as a single study." A PET code (78811-78813) together with a
 * diagnostic CT of the same area is one PET/CT study: suggest the PET/CT code of the same extent
 * (terminology petCtCounterpart: 78811 -> 78814, 78812 -> 78815, 78813 -> 78816) in place of both orders.
 * A diagnostic CT that is separately indicated is an override reason. CTA is not "diagnostic CT" here.
 */
export const petCtUnbundling: Rule<PetCtUnbundlingParameters> = {
  code: 'pet-ct-unbundling',
  requires: [],
  valueSets: [],
  variants: ['pet-with-ct'],
  suggestionKeys: ['use-pet-ct'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['petCoverage'],
    properties: {
      petCoverage: {
        type: 'object',
        minProperties: 1,
        propertyNames: { pattern: '^[0-9A-Z]{5}$' },
        additionalProperties: { type: 'array', minItems: 1, items: { type: 'string' } },
      },
    },
  },
  relevant: (order) => order.study.modality === 'PET' || order.study.modality === 'CT',
  evaluate(ctx, p) {
    const findings: Finding[] = [];
    for (const pet of ctx.orders.filter((o) => o.study.modality === 'PET')) {
      const coverage = p.petCoverage[orderedCode(pet)];
      if (coverage === undefined) continue;
      const overlaps = (ct: ImagingOrder): boolean =>
        coverage.includes('*') || ctx.terminology.regionsCovered(ct.study).some((r: Region) => coverage.includes(r));
      const cts = ctx.orders.filter((o) => o.study.modality === 'CT' && overlaps(o));
      if (cts.length === 0 || !(pet.isTarget || cts.some((c) => c.isTarget))) continue;
      const petCt = ctx.terminology.petCtCounterpart(pet.study);
      findings.push({
        rule: 'pet-ct-unbundling',
        variant: 'pet-with-ct',
        orders: [pet, ...cts],
        evidence: [orderEvidence(pet, 'PET'), ...cts.map((o) => orderEvidence(o, 'Diagnostic CT of the same area'))],
        vars: { studies: cts.map((o) => o.display).join(', '), petCt: petCt?.label ?? 'the PET/CT code' },
        suggestions: petCt === undefined ? [] : [{ kind: 'replace', wording: 'use-pet-ct', order: pet, replacement: petCt, recommended: true, alsoRemove: cts }],
      });
    }
    return findings;
  },
};
