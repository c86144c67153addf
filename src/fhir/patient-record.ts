import type {
  AllergyIntolerance,
  Condition,
  Coverage,
  Device,
  Encounter,
  FhirResource,
  ImagingStudy,
  Observation,
  Patient,
  Procedure,
  ServiceRequest,
} from 'fhir/r4';
import type { DataKey } from './data-keys';

/** What is known of the patient for one hook call, whatever its source (prefetch or FHIR server). */
export interface PatientRecord {
  readonly patient?: Patient;
  readonly conditions: readonly Condition[];
  readonly devices: readonly Device[];
  readonly allergies: readonly AllergyIntolerance[];
  /** Kidney-function labs and pregnancy observations together; rules select by value set. */
  readonly observations: readonly Observation[];
  readonly imagingStudies: readonly ImagingStudy[];
  readonly procedures: readonly Procedure[];
  readonly serviceRequests: readonly ServiceRequest[];
  readonly encounters: readonly Encounter[];
  readonly coverage: readonly Coverage[];
  /** Keys whose data was obtained (or is known to be empty: a prefetch `null`). */
  readonly available: ReadonlySet<DataKey>;
}

type Slots = { [K in DataKey]?: readonly FhirResource[] };

const of = <T extends FhirResource>(resources: readonly FhirResource[] | undefined, type: T['resourceType']): T[] =>
  (resources ?? []).filter((r): r is T => r.resourceType === type);

/** Assembles the record from per-key resource lists (already filtered to each key's resource type). */
export function assembleRecord(slots: Slots, available: ReadonlySet<DataKey>): PatientRecord {
  const patient = of<Patient>(slots.patient, 'Patient')[0];
  return {
    ...(patient !== undefined ? { patient } : {}),
    conditions: of<Condition>(slots.conditions, 'Condition'),
    devices: of<Device>(slots.devices, 'Device'),
    allergies: of<AllergyIntolerance>(slots.allergies, 'AllergyIntolerance'),
    observations: [...of<Observation>(slots.renalLabs, 'Observation'), ...of<Observation>(slots.pregnancyObservations, 'Observation')],
    imagingStudies: of<ImagingStudy>(slots.imagingStudies, 'ImagingStudy'),
    procedures: of<Procedure>(slots.procedures, 'Procedure'),
    serviceRequests: of<ServiceRequest>(slots.serviceRequests, 'ServiceRequest'),
    encounters: of<Encounter>(slots.encounters, 'Encounter'),
    coverage: of<Coverage>(slots.coverage, 'Coverage'),
    available,
  };
}

export const EMPTY_RECORD: PatientRecord = assembleRecord({}, new Set());
