import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  Device,
  FhirResource,
  Observation,
  Patient,
  ServiceRequest,
} from 'fhir/r4';
import { randomUUID } from 'node:crypto';
import type { HookRequest } from '../../src/cds-hooks/types';

/**
 * Typed builders of FHIR R4 resources shaped as EHRs send them (US Core-style codings, statuses and
 * dates), so tests read as clinical scenarios.
 */
export const PATIENT_ID = 'pat-1';
export const CPT = 'http://www.ama-assn.org/go/cpt';
export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';

export function patient(over: Partial<Patient> = {}): Patient {
  return { resourceType: 'Patient', id: PATIENT_ID, gender: 'female', birthDate: '1961-04-02', name: [{ family: 'Testperson', given: ['Alex'] }], ...over };
}

export function imagingOrder(id: string, cpt: string, over: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    status: 'draft',
    intent: 'order',
    category: [{ coding: [{ system: SNOMED, code: '363679005', display: 'Imaging' }] }],
    code: { coding: [{ system: CPT, code: cpt }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    authoredOn: '2026-11-23T10:00:00Z',
    reasonCode: [{ coding: [{ system: ICD10, code: 'M54.50', display: 'Low back pain, unspecified' }] }],
    ...over,
  };
}

export function labObservation(id: string, loinc: string, value: number, unit: string, date: string, over: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: LOINC, code: loinc }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: date,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    ...over,
  };
}

export function condition(id: string, system: string, code: string, display: string, over: Partial<Condition> = {}): Condition {
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { coding: [{ system, code, display }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    recordedDate: '2024-03-01',
    ...over,
  };
}

export function device(id: string, snomed: string, display: string, over: Partial<Device> = {}): Device {
  return {
    resourceType: 'Device',
    id,
    status: 'active',
    type: { coding: [{ system: SNOMED, code: snomed, display }] },
    patient: { reference: `Patient/${PATIENT_ID}` },
    ...over,
  };
}

export function allergy(id: string, system: string, code: string, display: string, over: Partial<AllergyIntolerance> = {}): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
    code: { coding: [{ system, code, display }] },
    patient: { reference: `Patient/${PATIENT_ID}` },
    ...over,
  };
}

export function searchset(resources: readonly FhirResource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((r) => ({ fullUrl: `urn:uuid:${randomUUID()}`, resource: r, search: { mode: 'match' } })),
  };
}

/** The record keys of our service definitions with nothing in them (a client that queried and found nothing). */
export function emptyPrefetch(): Record<string, null> {
  return Object.fromEntries(
    ['conditions', 'devices', 'allergies', 'renalLabs', 'pregnancyObservations', 'imagingStudies', 'procedures', 'serviceRequests', 'encounters', 'coverage'].map((k) => [k, null]),
  );
}

export interface HookOptions {
  readonly hook?: 'order-select' | 'order-sign';
  readonly orders: readonly ServiceRequest[];
  readonly selections?: readonly string[];
  readonly prefetch?: Record<string, FhirResource | null> | undefined;
  readonly fhirServer?: string;
  readonly accessToken?: string;
}

/** A full hook request as an EHR sends it (hookInstance, fhirServer, context, prefetch). */
export function hookRequest(o: HookOptions): HookRequest {
  const hook = o.hook ?? 'order-sign';
  const selections = hook === 'order-select' ? (o.selections ?? o.orders.map((r) => `ServiceRequest/${r.id ?? ''}`)) : undefined;
  return {
    hook,
    hookInstance: randomUUID(),
    ...(o.fhirServer !== undefined ? { fhirServer: o.fhirServer } : {}),
    ...(o.accessToken !== undefined
      ? { fhirAuthorization: { access_token: o.accessToken, token_type: 'Bearer', expires_in: 300, scope: 'user/*.read', subject: 'imaging-cds' } }
      : {}),
    context: {
      userId: 'Practitioner/prac-1',
      patientId: PATIENT_ID,
      ...(selections !== undefined ? { selections } : {}),
      draftOrders: { resourceType: 'Bundle', type: 'collection', entry: o.orders.map((r) => ({ resource: r })) },
    },
    ...(o.prefetch !== undefined ? { prefetch: o.prefetch } : {}),
  };
}

/** Prefetch for a scenario: every key present (null where empty), with the given resources filed by key. */
export function prefetchWith(resources: Partial<Record<string, readonly FhirResource[]>>, withPatient: Patient | null = patient()): Record<string, FhirResource | null> {
  const out: Record<string, FhirResource | null> = { patient: withPatient, ...emptyPrefetch() };
  for (const [key, list] of Object.entries(resources)) out[key] = list === undefined ? null : searchset(list);
  return out;
}
