import { codeListRule } from '../engine/code-list-rule';

/**
 * outside-study (Preface-4.7): "CPT 76140 is the appropriate code to use for an exam which was completed
 * elsewhere and a secondary interpretation of the images is requested", and "Many other payors do not
 * reimburse CPT 76140". Info: right code, coverage may differ by payer.
 */
export const outsideStudy = codeListRule({ code: 'outside-study', variant: 'outside-study' });
