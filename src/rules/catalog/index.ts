import { breastMriBilateral } from './breast-mri-bilateral';
import { clinicalEvaluation } from './clinical-evaluation';
import { contrastAllergy } from './contrast-allergy';
import { contrastLactation } from './contrast-lactation';
import { contrastPregnancy } from './contrast-pregnancy';
import { contrastRenal } from './contrast-renal';
import { contrastRiskFactors } from './contrast-risk-factors';
import { doubleContrastCt } from './double-contrast-ct';
import { duplicateImaging } from './duplicate-imaging';
import { hcpcsRedirect } from './hcpcs-redirect';
import { investigational } from './investigational';
import { limitedCt } from './limited-ct';
import { missingIndication } from './missing-indication';
import { mriBreastVsChest } from './mri-breast-vs-chest';
import { mriContrastOnly } from './mri-contrast-only';
import { mriDevice } from './mri-device';
import { mriMetalArtifact } from './mri-metal-artifact';
import { outsideStudy } from './outside-study';
import { pediatricGuidelines } from './pediatric-guidelines';
import { petCtUnbundling } from './pet-ct-unbundling';
import { petMri } from './pet-mri';
import { petSurveillance } from './pet-surveillance';
import { researchImaging } from './research-imaging';
import { shellfishAllergy } from './shellfish-allergy';
import { stateMandate } from './state-mandate';
import { threeDRendering } from './3d-rendering';
import type { Rule } from '../engine/types';
import { unlistedProcedure } from './unlisted-procedure';
import { wholeBodyCtMyeloma } from './whole-body-ct-myeloma';
import { wholeBodyCtScreening } from './whole-body-ct-screening';
import { wholeBodyMri } from './whole-body-mri';
import { wholeBodyMriCoding } from './whole-body-mri-coding';
import { xrayFirst } from './xray-first';

/**
 * Every implemented rule, in the order their cards are listed within one indicator level: the catalog
 * order of docs/rules.md. Each has a content file `cds-services/rules/<code>.json` (checked at start-up, both ways).
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
  contrastAllergy,
  shellfishAllergy,
  contrastRiskFactors,
  contrastPregnancy,
  contrastLactation,
  doubleContrastCt,
  mriContrastOnly,
  // MRI safety (Preface-3.1)
  mriDevice,
  mriMetalArtifact,
  mriBreastVsChest,
  // Overutilization (Preface-3.1)
  duplicateImaging,
  missingIndication,
  clinicalEvaluation,
  xrayFirst,
  petSurveillance,
  pediatricGuidelines,
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

