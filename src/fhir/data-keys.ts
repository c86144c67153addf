import type { FhirResource } from 'fhir/r4';

/**
 * The parts of the patient record the rules read, one per prefetch key of our service definitions
 * (cds-services/services/*.json). Rules declare which keys they need, so a call fetches only what the
 * rules that apply to its orders can use.
 */
export const DATA_KEYS = [
  'patient',
  'conditions',
  'devices',
  'allergies',
  'renalLabs',
  'pregnancyObservations',
  'imagingStudies',
  'procedures',
  'serviceRequests',
  'encounters',
  'coverage',
] as const;

export type DataKey = (typeof DATA_KEYS)[number];

export const isDataKey = (k: string): k is DataKey => (DATA_KEYS as readonly string[]).includes(k);

/** The resource type each key holds (also checked against the template's resource type at start-up). */
export const KEY_RESOURCE_TYPE: Readonly<Record<DataKey, FhirResource['resourceType']>> = {
  patient: 'Patient',
  conditions: 'Condition',
  devices: 'Device',
  allergies: 'AllergyIntolerance',
  renalLabs: 'Observation',
  pregnancyObservations: 'Observation',
  imagingStudies: 'ImagingStudy',
  procedures: 'Procedure',
  serviceRequests: 'ServiceRequest',
  encounters: 'Encounter',
  coverage: 'Coverage',
};

/** Human words for the evaluation-incomplete card. */
export const KEY_LABEL: Readonly<Record<DataKey, string>> = {
  patient: 'the patient demographics',
  conditions: 'the active conditions',
  devices: 'the implanted devices',
  allergies: 'the allergies',
  renalLabs: 'the kidney-function labs',
  pregnancyObservations: 'the pregnancy observations',
  imagingStudies: 'the prior imaging studies',
  procedures: 'the procedures',
  serviceRequests: 'the active and completed orders',
  encounters: 'the recent encounters',
  coverage: 'the coverage',
};
