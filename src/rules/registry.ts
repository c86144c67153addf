import { contrastRenal } from './contrast-renal';
import { mriDevice } from './mri-device';
import type { Rule } from './types';

/**
 * Every implemented rule, in the order their cards are listed within one indicator level. Each has a
 * content file `cds-services/rules/<code>.json` (checked at start-up, both ways).
 */
export const RULES: readonly Rule[] = [contrastRenal, mriDevice];

/** Rule code of the service's own card when part of the record could not be read. */
export const EVALUATION_INCOMPLETE = 'evaluation-incomplete';
