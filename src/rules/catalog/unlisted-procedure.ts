import { isPet, orderText, textMatches } from '../facts/order-facts';
import { codeListRule } from '../engine/code-list-rule';

export interface UnlistedProcedureParameters {
  readonly codes: readonly string[];
  /** The unlisted MR code, which is also the only code for whole-body MRI and (with 78813) PET-MRI. */
  readonly mriUnlistedCode: string;
  readonly wholeBodyTextPatterns: readonly string[];
}

/**
 * unlisted-procedure (Preface-4.3): "A Category III code that describes the procedure performed must be
 * reported rather than an unlisted code if one is available", and 76497/76498 "can be considered" for
 * surgical navigation, custom arthroplasty planning, procedure planning needing thinner cuts. Info. An
 * unlisted code whose text says whole body (76497 LifeScan CT, 76498 WBMRI) or a 76498 next to a PET code
 * (PET-MRI, where 76498 is the correct code) is left to the whole-body rules (Preface-5.1 to 5.3).
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
    // A whole-body request (76497 LifeScan CT, 76498 WBMRI) is judged by the whole-body rules instead.
    if (textMatches(orderText(order.resource), p.wholeBodyTextPatterns)) return false;
    if (order.study.code !== p.mriUnlistedCode) return true;
    return !all.some((o) => isPet(o.study));
  },
});
