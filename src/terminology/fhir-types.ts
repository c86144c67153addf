/**
 * The FHIR R4 types the terminology layer uses. The installed @types/fhir (0.0.44) ships `fhir/r4`, which
 * every other module uses; the terminology layer takes the same types so that values flow between layers
 * without casts (the @medplum/fhirtypes variants are structurally stricter and do not accept `fhir4` values).
 */
export type { CodeableConcept, Coding, ValueSet } from 'fhir/r4';
