import type { ImagingOrder } from '../../orders/imaging-order';
import { anyTarget, orderEvidence, orderText } from '../facts/order-facts';
import type { Finding, Rule } from '../engine/types';

export interface BreastMriBilateralParameters {
  /** Body-site codes (SNOMED) that say left / right breast. */
  readonly leftBodySiteCodes: readonly string[];
  readonly rightBodySiteCodes: readonly string[];
}

type Side = 'left' | 'right' | undefined;

function side(order: ImagingOrder, p: BreastMriBilateralParameters): Side {
  if (order.study.laterality === 'left' || order.study.laterality === 'right') return order.study.laterality;
  const codes = (order.resource.bodySite ?? []).flatMap((b) => b.coding ?? []).map((c) => c.code ?? '');
  if (codes.some((c) => p.leftBodySiteCodes.includes(c))) return 'left';
  if (codes.some((c) => p.rightBodySiteCodes.includes(c))) return 'right';
  const text = orderText(order.resource);
  const left = /\bleft\b/i.test(text);
  const right = /\bright\b/i.test(text);
  return left && !right ? 'left' : right && !left ? 'right' : undefined;
}

const CONTRAST_RANK: Readonly<Record<string, number>> = { 'without-and-with': 3, with: 2, without: 1 };

/**
 * breast-mri-bilateral (Preface-4.4): "Diagnostic MRI of both breasts should be coded as CPT 77049
 * regardless of whether both breasts are imaged simultaneously or whether unilateral breast MRI is
 * performed in two separate imaging sessions." Two (or more) unilateral breast MRI orders in one draft for
 * the two sides (or with sides not stated) become one bilateral order of the richest contrast among them
 * (terminology bilateralCounterpart: 77046 -> 77047, 77048 -> 77049). Two orders that both name the same
 * side are left alone (a repeat, for duplicate-imaging to judge).
 */
export const breastMriBilateral: Rule<BreastMriBilateralParameters> = {
  code: 'breast-mri-bilateral',
  requires: [],
  valueSets: [],
  variants: ['two-unilateral'],
  suggestionKeys: ['use-bilateral'],
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['leftBodySiteCodes', 'rightBodySiteCodes'],
    properties: {
      leftBodySiteCodes: { type: 'array', items: { type: 'string', pattern: '^[0-9]+$' } },
      rightBodySiteCodes: { type: 'array', items: { type: 'string', pattern: '^[0-9]+$' } },
    },
  },
  relevant: (order) => order.study.modality === 'MRI' && order.study.region === 'breast',
  evaluate(ctx, p) {
    const unilateral = ctx.orders.filter((o) => o.study.modality === 'MRI' && o.study.region === 'breast' && o.study.laterality !== undefined && o.study.laterality !== 'bilateral');
    if (unilateral.length < 2 || !anyTarget(unilateral)) return [];
    const sides = unilateral.map((o) => side(o, p));
    const known = sides.filter((s): s is 'left' | 'right' => s !== undefined);
    if (known.length === sides.length && new Set(known).size === 1) return [];
    const keep = [...unilateral].sort((a, b) => (CONTRAST_RANK[b.study.contrast] ?? 0) - (CONTRAST_RANK[a.study.contrast] ?? 0))[0];
    const bilateral = keep === undefined ? undefined : ctx.terminology.bilateralCounterpart(keep.study);
    const finding: Finding = {
      rule: 'breast-mri-bilateral',
      variant: 'two-unilateral',
      orders: unilateral,
      evidence: unilateral.map((o, i) => ({ ...orderEvidence(o, 'Unilateral breast MRI'), value: `${orderEvidence(o).value ?? ''}; side: ${sides[i] ?? 'not stated'}` })),
      vars: { bilateral: bilateral?.label ?? 'the bilateral breast MRI code' },
      suggestions:
        keep === undefined || bilateral === undefined
          ? []
          : [{ kind: 'replace', wording: 'use-bilateral', order: keep, replacement: bilateral, recommended: true, alsoRemove: unilateral.filter((o) => o !== keep) }],
    };
    return [finding];
  },
};
