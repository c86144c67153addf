import path from 'node:path';
import { loadTerminology } from '../../../src/terminology/load-terminology';
import type { Terminology } from '../../../src/terminology/types';

/** The project root (where cds-services/ and fhir-profiles/ live). */
export const ROOT = path.resolve(__dirname, '../../..');

let cached: Terminology | undefined;
/** The real terminology, loaded once per test file from the committed content. */
export function realTerminology(): Terminology {
  cached ??= loadTerminology(ROOT);
  return cached;
}

export const CPT = 'http://www.ama-assn.org/go/cpt';
export const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';
export const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
export const SCT = 'http://snomed.info/sct';
export const LNC = 'http://loinc.org';
