/**
 * Canonical code-system URIs and their accepted aliases (terminology.md section 0).
 * Every coding that enters the service is read through `canonicalSystem`, so the rest of the code
 * compares one URI per terminology, whatever spelling the EHR used.
 */
export const SYSTEM = {
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  nciThesaurus: 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl',
  dicomDcm: 'http://dicom.nema.org/resources/ontology/DCM',
  cardType: 'http://terminology.hl7.org/CodeSystem/cdshooks-card-type',
} as const;

export type SystemKey = keyof typeof SYSTEM;

const ALIASES: Readonly<Record<string, string>> = {
  'urn:oid:2.16.840.1.113883.6.12': SYSTEM.cpt,
  'https://www.ama-assn.org/go/cpt': SYSTEM.cpt,
  'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets': SYSTEM.hcpcs,
  'urn:oid:2.16.840.1.113883.6.285': SYSTEM.hcpcs,
  'urn:oid:2.16.840.1.113883.6.14': SYSTEM.hcpcs,
  'urn:oid:2.16.840.1.113883.6.90': SYSTEM.icd10cm,
  'http://hl7.org/fhir/sid/icd-10-us': SYSTEM.icd10cm,
  'urn:oid:2.16.840.1.113883.6.1': SYSTEM.loinc,
  'https://loinc.org': SYSTEM.loinc,
  'urn:oid:2.16.840.1.113883.6.96': SYSTEM.snomed,
  'https://snomed.info/sct': SYSTEM.snomed,
  'urn:oid:2.16.840.1.113883.3.26.1.1': SYSTEM.nciThesaurus,
  'http://ncimeta.nci.nih.gov': SYSTEM.nciThesaurus,
};

/** The canonical URI for a coding's system (trailing slashes and known aliases folded). */
export function canonicalSystem(system: string | undefined): string | undefined {
  if (system === undefined) return undefined;
  const trimmed = system.trim().replace(/\/+$/, '');
  return ALIASES[trimmed] ?? trimmed;
}

/** Codes are compared as written, except that ICD-10-CM is also accepted without its dot (claims style). */
export function normaliseCode(system: string, code: string): string {
  const trimmed = code.trim();
  if (system === SYSTEM.icd10cm && !trimmed.includes('.') && trimmed.length > 3) {
    return `${trimmed.slice(0, 3)}.${trimmed.slice(3)}`.toUpperCase();
  }
  if (system === SYSTEM.icd10cm || system === SYSTEM.hcpcs || system === SYSTEM.cpt) return trimmed.toUpperCase();
  return trimmed;
}
