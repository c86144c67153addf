import { clinicalEvaluation } from './clinical-evaluation';
import { contrastAllergy } from './contrast-allergy';
import { contrastLactation } from './contrast-lactation';
import { contrastPregnancy } from './contrast-pregnancy';
import { contrastRenal } from './contrast-renal';
import { contrastRiskFactors } from './contrast-risk-factors';
import { doubleContrastCt } from './double-contrast-ct';
import { duplicateImaging } from './duplicate-imaging';
import { missingIndication } from './missing-indication';
import { mriBreastVsChest } from './mri-breast-vs-chest';
import { mriContrastOnly } from './mri-contrast-only';
import { mriDevice } from './mri-device';
import { mriMetalArtifact } from './mri-metal-artifact';
import { pediatricGuidelines } from './pediatric-guidelines';
import { petSurveillance } from './pet-surveillance';
import { shellfishAllergy } from './shellfish-allergy';
import type { Rule } from './types';
import { xrayFirst } from './xray-first';

/**
 * Every implemented rule, in the order their cards are listed within one indicator level: the catalog
 * order of RULES.md. Each has a content file `cds-services/rules/<code>.json` (checked at start-up, both ways).
 */
export const RULES: readonly Rule[] = [
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
];

/** Rule code of the service's own card when part of the record could not be read. */
export const EVALUATION_INCOMPLETE = 'evaluation-incomplete';
