import type { StudyDefinition } from '../../terminology/types';
import { anyTarget, orderEvidence } from '../facts/order-facts';
import type { Finding, Rule, SuggestionSpec } from '../engine/types';
import { wbmriRequest } from '../facts/whole-body-request';
import type { WbmriOptions } from '../facts/whole-body-request';
import { WBMRI_PARAMETER_SCHEMA } from '../facts/whole-body-request';

export interface WholeBodyMriCodingParameters extends WbmriOptions {
  /** How the 76498 replacement order is labelled, so the performing site sees it is the whole-body study. */
  readonly wbmriLabel: string;
}

/**
 * whole-body-mri-coding (Preface-5.2, Coding considerations): "WBMRI is at present only reportable using
 * CPT 76498. All other methods of reporting whole-body MRI are inappropriate including ... Separate
 * diagnostic MRI codes for multiple individual body parts; MRI Bone Marrow Supply (CPT 77084)." Needs no
 * record data: it reads only the draft's codes and text.
 */
export const wholeBodyMriCoding: Rule<WholeBodyMriCodingParameters> = {
  code: 'whole-body-mri-coding',
  requires: [],
  valueSets: [],
  variants: ['bone-marrow-code', 'separate-codes'],
  suggestionKeys: ['use-76498', 'remove-separate'],
  parameterSchema: {
    ...WBMRI_PARAMETER_SCHEMA,
    required: [...WBMRI_PARAMETER_SCHEMA.required, 'wbmriLabel'],
    properties: { ...WBMRI_PARAMETER_SCHEMA.properties, wbmriLabel: { type: 'string', minLength: 3 } },
  },
  relevant: (order) => order.study.modality === 'MRI',
  evaluate(ctx, p) {
    const request = wbmriRequest(ctx.orders, ctx.terminology, p);
    if (request === undefined) return [];
    const base = ctx.terminology.study(p.wbmriCode);
    const wbmri: StudyDefinition | undefined = base === undefined ? undefined : { ...base, label: p.wbmriLabel };
    const findings: Finding[] = [];
    for (const order of request.boneMarrow) {
      if (!order.isTarget) continue;
      findings.push({
        rule: 'whole-body-mri-coding',
        variant: 'bone-marrow-code',
        orders: [order],
        evidence: [orderEvidence(order, 'Whole-body MRI ordered as')],
        suggestions: wbmri === undefined ? [] : [{ kind: 'replace', wording: 'use-76498', order, replacement: wbmri, recommended: true }],
      });
    }
    const separate = request.separate;
    if (separate.length > 0 && anyTarget(separate)) {
      const [first, ...rest] = separate;
      let suggestion: SuggestionSpec | undefined;
      if (request.unlisted.length > 0) suggestion = { kind: 'remove', wording: 'remove-separate', orders: separate, recommended: true };
      else if (first !== undefined && wbmri !== undefined) suggestion = { kind: 'replace', wording: 'use-76498', order: first, replacement: wbmri, recommended: true, alsoRemove: rest };
      findings.push({
        rule: 'whole-body-mri-coding',
        variant: 'separate-codes',
        orders: separate,
        evidence: separate.map((o) => orderEvidence(o, 'Body-part MRI')),
        vars: { parts: separate.map((o) => o.display).join(', ') },
        suggestions: suggestion === undefined ? [] : [suggestion],
      });
    }
    return findings;
  },
};
