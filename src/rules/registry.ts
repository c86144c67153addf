import { breastMriBilateral } from './breast-mri-bilateral';
import { contrastRenal } from './contrast-renal';
import { hcpcsRedirect } from './hcpcs-redirect';
import { investigational } from './investigational';
import { limitedCt } from './limited-ct';
import { mriDevice } from './mri-device';
import { outsideStudy } from './outside-study';
import { petCtUnbundling } from './pet-ct-unbundling';
import { petMri } from './pet-mri';
import { researchImaging } from './research-imaging';
import { stateMandate } from './state-mandate';
import { threeDRendering } from './three-d-rendering';
import type { Rule } from './types';
import { unlistedProcedure } from './unlisted-procedure';
import { wholeBodyCtMyeloma } from './whole-body-ct-myeloma';
import { wholeBodyCtScreening } from './whole-body-ct-screening';
import { wholeBodyMri } from './whole-body-mri';
import { wholeBodyMriCoding } from './whole-body-mri-coding';

/**
 * Every implemented rule, in the order their cards are listed within one indicator level (RULES.md catalog
 * order). Each has a content file `cds-services/rules/<code>.json` (checked at start-up, both ways).
 */
export const RULES: readonly Rule[] = [
  // Whole-body imaging (Preface-5)
  wholeBodyCtScreening,
  wholeBodyCtMyeloma,
  wholeBodyMri,
  wholeBodyMriCoding,
  petMri,
  // Contrast (Preface-3.1)
  contrastRenal,
  // MRI safety (Preface-3.1)
  mriDevice,
  // Coding (Preface-4) and benefits (Preface-2)
  threeDRendering,
  limitedCt,
  breastMriBilateral,
  unlistedProcedure,
  outsideStudy,
  investigational,
  hcpcsRedirect,
  petCtUnbundling,
  researchImaging,
  stateMandate,
];

/** Rule code of the service's own card when part of the record could not be read. */
export const EVALUATION_INCOMPLETE = 'evaluation-incomplete';
