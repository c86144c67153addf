import { orderText, textMatches } from './order-context';
import { codeListRule } from './code-list-rule';

export interface UnlistedProcedureParameters {
  readonly codes: readonly string[];
  /** The unlisted MR code, which is also the only code for whole-body MRI and (with 78813) PET-MRI. */
  readonly mriUnlistedCode: string;
  readonly wholeBodyTextPatterns: readonly string[];
}

/**
 * unlisted-procedure (Preface-4.3): "A Category III code that describes the procedure performed must be
 * reported rather than an unlisted code if one is available", and 76497/76498 "can be considered" for
 * surgical navigation, custom arthroplasty planning, procedure planning needing thinner cuts. Info. A 76498
 * that is whole-body MRI (its text says so) or PET-MRI (a PET code in the same draft) is the correct code
 * there (Preface-5.2, 5.3) and is left to those rules.
 */
export const unlistedProcedure = codeListRule<UnlistedProcedureParameters>({
  code: 'unlisted-procedure',
  variant: 'unlisted',
  parameterSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['codes', 'mriUnlistedCode', 'wholeBodyTextPatterns'],
    properties: {
      codes: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9A-Z]{5}$' } },
      mriUnlistedCode: { type: 'string', pattern: '^[0-9A-Z]{5}$' },
      wholeBodyTextPatterns: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
  },
  also: (order, all, p) => {
    if (order.study.code !== p.mriUnlistedCode) return true;
    const withPet = all.some((o) => o.study.modality === 'PET' || o.study.modality === 'PET/CT');
    return !withPet && !textMatches(orderText(order.resource), p.wholeBodyTextPatterns);
  },
});
