/**
 * Canonical code-system URIs (https://hl7.org/fhir/R4/terminologies-systems.html) and their accepted aliases.
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
  /** Orphanet rare-disease codes (MII Onkologie IG), for predisposition syndromes without an ICD-10-CM code. */
  orphanet: 'http://www.orpha.net',
  /** HL7 v3 ActCode: Encounter.class (AMB, VR ...). */
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
} as const;

export type SystemKey = keyof typeof SYSTEM;

const ALIASES: Readonly<Record<string, string>> = {
  // CPT (HL7 OID 2.16.840.1.113883.6.12)
  'urn:oid:2.16.840.1.113883.6.12': SYSTEM.cpt,
  'https://www.ama-assn.org/go/cpt': SYSTEM.cpt,
  // HCPCS Level II: eCQM/VSAC expansions use http://, CMS pages https://
  'https://www.cms.gov/medicare/coding/hcpcsreleasecodesets': SYSTEM.hcpcs,
  'urn:oid:2.16.840.1.113883.6.285': SYSTEM.hcpcs,
  'urn:oid:2.16.840.1.113883.6.14': SYSTEM.hcpcs,
  // ICD-10-CM (2.16.840.1.113883.6.90). WHO ICD-10 (http://hl7.org/fhir/sid/icd-10) is a different system: not folded.
  'urn:oid:2.16.840.1.113883.6.90': SYSTEM.icd10cm,
  'http://hl7.org/fhir/sid/icd-10-us': SYSTEM.icd10cm,
  'https://hl7.org/fhir/sid/icd-10-cm': SYSTEM.icd10cm,
  // LOINC (2.16.840.1.113883.6.1)
  'urn:oid:2.16.840.1.113883.6.1': SYSTEM.loinc,
  'https://loinc.org': SYSTEM.loinc,
  // SNOMED CT (2.16.840.1.113883.6.96); the US edition URI is sometimes sent as the system
  'urn:oid:2.16.840.1.113883.6.96': SYSTEM.snomed,
  'https://snomed.info/sct': SYSTEM.snomed,
  'http://snomed.info/sct/731000124108': SYSTEM.snomed,
  // NCI Thesaurus: the FHIR core device-safety value set uses the OID form
  'urn:oid:2.16.840.1.113883.3.26.1.1': SYSTEM.nciThesaurus,
  'http://ncimeta.nci.nih.gov': SYSTEM.nciThesaurus,
  'https://ncicb.nci.nih.gov/xml/owl/evs/thesaurus.owl': SYSTEM.nciThesaurus,
  // Orphanet
  'https://www.orpha.net': SYSTEM.orphanet,
  'http://www.orpha.net/ordo': SYSTEM.orphanet,
};

/** Aliases and canonical URIs by lower-cased key: URI scheme and host are case-insensitive, EHRs vary. */
const BY_LOWER: ReadonlyMap<string, string> = new Map([
  ...Object.entries(ALIASES).map(([k, v]) => [k.toLowerCase(), v] as const),
  ...Object.values(SYSTEM).map((v) => [v.toLowerCase(), v] as const),
]);

/** The canonical URI for a coding's system (trailing slashes and known aliases folded). */
/**
 * Answers for the system strings seen so far. A record repeats a handful of system URIs thousands of times
 * per call (profiling: trim + regex + lower-casing was ~6% of a hook call), so the answer is remembered;
 * bounded, so that a client sending endless distinct strings cannot grow it.
 */
const SEEN = new Map<string, string>();
const SEEN_LIMIT = 2_000;

export function canonicalSystem(system: string | undefined): string | undefined {
  if (system === undefined) return undefined;
  const known = SEEN.get(system);
  if (known !== undefined) return known;
  const trimmed = system.trim().replace(/\/+$/, '');
  const canonical = BY_LOWER.get(trimmed.toLowerCase()) ?? trimmed;
  if (SEEN.size < SEEN_LIMIT) SEEN.set(system, canonical);
  return canonical;
}

/**
 * Is the code already in the form `normaliseCode` gives (no surrounding blanks; CPT, HCPCS and ICD-10-CM in
 * upper case; ICD-10-CM with its dot)? Answered without allocating: most codings a rule looks at are in no
 * value set, and normalising every one of them only to miss again was 2% of a hook call.
 */
export function isNormalCode(system: string, code: string): boolean {
  if (code.length === 0 || code.charCodeAt(0) <= 32 || code.charCodeAt(code.length - 1) <= 32) return code.length === 0;
  if (system === SYSTEM.icd10cm) return !LOWER_CASE.test(code) && (code.length <= 3 || code.includes('.'));
  if (system === SYSTEM.hcpcs || system === SYSTEM.cpt) return !LOWER_CASE.test(code);
  return true;
}
const LOWER_CASE = /[a-z]/;

/** Codes are compared as written, except that ICD-10-CM is also accepted without its dot (claims style). */
export function normaliseCode(system: string, code: string): string {
  const trimmed = code.trim();
  if (system === SYSTEM.icd10cm && !trimmed.includes('.') && trimmed.length > 3) {
    return `${trimmed.slice(0, 3)}.${trimmed.slice(3)}`.toUpperCase();
  }
  if (system === SYSTEM.icd10cm || system === SYSTEM.hcpcs || system === SYSTEM.cpt) return trimmed.toUpperCase();
  return trimmed;
}
