import type { Encounter, ImagingStudy, Observation, Procedure, ServiceRequest } from 'fhir/r4';
import { CPT, LOINC, PATIENT_ID, SNOMED } from './fhir-builders';

/**
 * Builders for the record facts the overutilization and contrast rules read (encounters, prior imaging,
 * pregnancy results), shaped as EHRs send them. fhir-builders.ts holds the generic resource builders
 * these rest on.
 */

/** A finished office visit (CPT 99213, class AMB) on `date`. */
export function officeVisit(id: string, date: string, over: Partial<Encounter> = {}): Encounter {
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [{ coding: [{ system: CPT, code: '99213', display: 'Office or other outpatient visit, established patient' }] }],
    subject: { reference: `Patient/${PATIENT_ID}` },
    period: { start: `${date}T09:00:00Z`, end: `${date}T09:30:00Z` },
    ...over,
  };
}

/** An inpatient stay: not an office/telehealth evaluation by type or class. */
export function inpatientStay(id: string, date: string): Encounter {
  return {
    resourceType: 'Encounter',
    id,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
    type: [{ coding: [{ system: SNOMED, code: '183452005', display: 'Emergency hospital admission' }] }],
    subject: { reference: `Patient/${PATIENT_ID}` },
    period: { start: `${date}T09:00:00Z`, end: `${date}T18:00:00Z` },
  };
}

/** A performed study in the PACS (ImagingStudy with its CPT procedure code). */
export function imagingStudy(id: string, cpt: string, date: string, over: Partial<ImagingStudy> = {}): ImagingStudy {
  return {
    resourceType: 'ImagingStudy',
    id,
    status: 'available',
    subject: { reference: `Patient/${PATIENT_ID}` },
    started: `${date}T08:00:00Z`,
    procedureCode: [{ coding: [{ system: CPT, code: cpt }] }],
    ...over,
  };
}

/** A completed imaging Procedure. */
export function imagingProcedure(id: string, cpt: string, date: string, over: Partial<Procedure> = {}): Procedure {
  return {
    resourceType: 'Procedure',
    id,
    status: 'completed',
    code: { coding: [{ system: CPT, code: cpt }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    performedDateTime: `${date}T08:00:00Z`,
    ...over,
  };
}

/** A signed imaging order in the EHR (active = not yet done; completed = done). */
export function priorOrder(id: string, cpt: string, date: string, status: ServiceRequest['status'], over: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    status,
    intent: 'order',
    code: { coding: [{ system: CPT, code: cpt }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    authoredOn: `${date}T10:00:00Z`,
    ...over,
  };
}

/** A pregnancy-status Observation (LOINC 82810-3) answered with LOINC LA15173-0 "Pregnant" or LA26683-5 "Not pregnant". */
export function pregnancyStatus(id: string, pregnant: boolean, date: string): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'social-history' }] }],
    code: { coding: [{ system: LOINC, code: '82810-3', display: 'Pregnancy status' }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: date,
    valueCodeableConcept: { coding: [pregnant ? { system: LOINC, code: 'LA15173-0', display: 'Pregnant' } : { system: LOINC, code: 'LA26683-5', display: 'Not pregnant' }] },
  };
}

/** A qualitative serum/urine hCG result (LOINC 2106-3) answered positive or negative (SNOMED). */
export function hcgTest(id: string, positive: boolean, date: string): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: LOINC, code: '2106-3', display: 'Choriogonadotropin (pregnancy test) [Presence] in Urine' }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: date,
    valueCodeableConcept: { coding: [positive ? { system: SNOMED, code: '10828004', display: 'Positive' } : { system: SNOMED, code: '260385009', display: 'Negative' }] },
  };
}

/**
 * The record of a clinically clean spine/MSK work-up for the default patient: an office visit 10 days
 * before the draft orders (2026-11-23) and lumbar radiographs 20 days before.
 */
export const cleanWorkup = () => [officeVisit('enc-office', '2026-11-13'), imagingStudy('xr-ls', '72100', '2026-11-03')];
