import type { CodeableConcept, ImagingStudy, Procedure, ServiceRequest } from 'fhir/r4';
import type { PatientRecord } from '../../fhir/patient-record';
import type { ImagingOrder } from '../../orders/imaging-order';
import type { Modality, StudyDefinition, Terminology } from '../../terminology/types';
import type { Evidence } from '../facts/evidence';
import { isoDay, parseFhirDate, withinDays } from '../../fhir/dates';

/**
 * Imaging already in the record (docs/rules.md "record": ImagingStudy, Procedure, completed/active
 * ServiceRequest), recognised through the same terminology as draft orders. Entries whose code the
 * terminology does not know are left out: the service does not guess what they imaged.
 */
export interface PriorImaging {
  readonly reference: string;
  readonly study: StudyDefinition;
  readonly date: Date;
  /** done: performed (ImagingStudy, completed Procedure/ServiceRequest); ordered: active order not yet done. */
  readonly state: 'done' | 'ordered';
  /** The coded concept as the record has it, for the evidence row. */
  readonly display: string;
}

const codingsOf = (concepts: readonly CodeableConcept[] | undefined) => (concepts ?? []).flatMap((c) => c.coding ?? []);

function fromImagingStudy(s: ImagingStudy, terminology: Terminology): PriorImaging | undefined {
  if (s.status === 'cancelled' || s.status === 'entered-in-error' || s.status === 'registered') return undefined;
  const study = terminology.lookupOrder(codingsOf(s.procedureCode));
  const date = parseFhirDate(s.started);
  if (study === undefined || date === undefined || s.id === undefined) return undefined;
  return { reference: `ImagingStudy/${s.id}`, study, date, state: 'done', display: s.procedureCode?.[0]?.text ?? s.description ?? study.label };
}

function fromProcedure(p: Procedure, terminology: Terminology): PriorImaging | undefined {
  if (p.status !== 'completed') return undefined;
  const study = terminology.lookupOrder(p.code?.coding);
  const date = parseFhirDate(p.performedDateTime ?? p.performedPeriod?.end ?? p.performedPeriod?.start);
  if (study === undefined || date === undefined || p.id === undefined) return undefined;
  return { reference: `Procedure/${p.id}`, study, date, state: 'done', display: p.code?.text ?? study.label };
}

function fromServiceRequest(r: ServiceRequest, terminology: Terminology, draftIds: ReadonlySet<string>): PriorImaging | undefined {
  if (r.status !== 'completed' && r.status !== 'active') return undefined;
  // The EHR may already store the draft being signed: it is not a prior order.
  if (r.id === undefined || draftIds.has(r.id)) return undefined;
  const study = terminology.lookupOrder(r.code?.coding);
  // A done order is dated when it was performed; an open one when it was placed (its occurrence may be
  // scheduled weeks ahead, which must not hide it from the look-back).
  const performed = parseFhirDate(r.occurrenceDateTime ?? r.occurrencePeriod?.start);
  const placed = parseFhirDate(r.authoredOn);
  const date = r.status === 'completed' ? (performed ?? placed) : (placed ?? performed);
  if (study === undefined || date === undefined) return undefined;
  return { reference: `ServiceRequest/${r.id}`, study, date, state: r.status === 'completed' ? 'done' : 'ordered', display: r.code?.text ?? study.label };
}

/** Every recognised prior study of the record, newest first (rules get it once per call from their context). */
export function allPriorImaging(record: PatientRecord, terminology: Terminology, drafts: readonly ImagingOrder[]): PriorImaging[] {
  const draftIds = new Set(drafts.map((o) => o.resource.id).filter((id): id is string => id !== undefined));
  return [
    ...record.imagingStudies.map((s) => fromImagingStudy(s, terminology)),
    ...record.procedures.map((p) => fromProcedure(p, terminology)),
    ...record.serviceRequests.map((r) => fromServiceRequest(r, terminology, draftIds)),
  ]
    .filter((p): p is PriorImaging => p !== undefined)
    .sort((a, b) => b.date.getTime() - a.date.getTime());
}

/** The studies dated within `lookbackDays` before `on` (newest first, as given). */
export const withinWindow = (priors: readonly PriorImaging[], on: Date, lookbackDays: number): PriorImaging[] =>
  priors.filter((p) => withinDays(p.date, on, lookbackDays));

/** "Same or similar study" compares modality families: a CT and a CTA of one region are similar studies. */
export const MODALITY_GROUP: Readonly<Record<Modality, string>> = {
  CT: 'CT',
  CTA: 'CT',
  MRI: 'MR',
  MRA: 'MR',
  PET: 'PET',
  'PET/CT': 'PET',
  NM: 'NM',
  US: 'US',
  XR: 'XR',
  other: 'other',
};

export function priorEvidence(p: PriorImaging, what: string): Evidence {
  return { reference: p.reference, what, value: `${p.display} (${p.study.code})${p.state === 'ordered' ? ', ordered, not yet done' : ''}`, date: isoDay(p.date) };
}
