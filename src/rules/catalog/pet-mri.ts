import { anyTarget, isMriOnly, isPet, orderEvidence } from '../facts/order-facts';
import type { Finding, Rule } from '../engine/types';
import { petMriRequest } from '../facts/whole-body-request';
import type { PetMriOptions } from '../facts/whole-body-request';

export type PetMriParameters = PetMriOptions;

/**
 * pet-mri (Preface-5.3): "PET-MRI is generally not supported ... However, it may be appropriate ... when
 * the individual meets condition-specific guidelines for PET-MRI OR meets ALL of: guideline criteria for
 * PET-CT, AND PET-CT is not available at the treating institution, AND the provider requests PET-MRI in
 * lieu of PET-CT" (those are the override reasons) and "may be reported using the code combination of PET
 * Whole-Body (CPT 78813) and MRI Unlisted (CPT 76498). All other methods of reporting PET-MRI are
 * inappropriate." 78813 + 76498 -> warning; another PET code + 76498 -> coding error, suggesting 78813.
 * Diagnostic MRI codes that go along are left alone ("may be indicated at the same time").
 */
export const petMri: Rule<PetMriParameters> = {
  code: 'pet-mri',
  requires: [],
  valueSets: [],
  variants: ['pet-mri', 'coding-error'],
  suggestionKeys: ['use-pet-whole-body'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['petWholeBodyCode', 'mriUnlistedCode'],
    properties: { petWholeBodyCode: { type: 'string', pattern: '^[0-9A-Z]{5}$' }, mriUnlistedCode: { type: 'string', pattern: '^[0-9A-Z]{5}$' } },
  },
  relevant: (order) => isPet(order.study) || isMriOnly(order.study),
  evaluate(ctx, p) {
    const request = petMriRequest(ctx.orders, p);
    if (request === undefined) return [];
    const orders = [...request.pet, ...request.mri];
    if (!anyTarget(orders)) return [];
    const petWholeBody = ctx.terminology.study(p.petWholeBodyCode);
    const finding: Finding = {
      rule: 'pet-mri',
      variant: request.kind,
      orders,
      evidence: orders.map((o) => orderEvidence(o, 'Part of the PET-MRI request')),
      suggestions:
        request.kind === 'coding-error' && petWholeBody !== undefined
          ? request.pet.map((order, i) => ({ kind: 'replace' as const, wording: 'use-pet-whole-body', order, replacement: petWholeBody, recommended: i === 0 }))
          : [],
    };
    return [finding];
  },
};
