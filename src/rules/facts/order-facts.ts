import type { CodeableConcept, ServiceRequest } from 'fhir/r4';
import type { PatientRecord } from '../../fhir/patient-record';
import type { ImagingOrder } from '../../orders/imaging-order';
import { SYSTEM } from '../../terminology/systems';
import type { StudyDefinition } from '../../terminology/types';
import { isoDay } from '../../fhir/dates';
import type { Evidence } from '../facts/evidence';

/**
 * What an order says about itself beyond its code (record facts live in record/facts.ts). Shared by the whole-body, coding and benefit rules (Preface-2, 4, 5), which judge combinations of draft
 * orders and their stated reasons rather than lab values.
 */

/** Free text the clinician typed on the order: code text, body site, reason text, notes, patient instruction. */
export function orderText(sr: ServiceRequest): string {
  const concepts: (CodeableConcept | undefined)[] = [sr.code, ...(sr.bodySite ?? []), ...(sr.reasonCode ?? [])];
  const parts = concepts.flatMap((c) => [c?.text, ...(c?.coding ?? []).map((k) => k.display)]);
  parts.push(...(sr.note ?? []).map((n) => n.text), sr.patientInstruction);
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' | ');
}

/** Does any of the configured patterns (case-insensitive regular expressions from rule content) match? */
export function textMatches(text: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => new RegExp(p, 'i').test(text));
}

/**
 * reasonReference entries the record cannot resolve to a Condition (record/facts.ts `orderReasons` returns
 * only the resolved ones). Such a reference still *is* a reason, so an order with one is never taken as
 * "without indication" or "screening only" merely because the reference is opaque to us.
 */
export function unresolvedReasonReferences(order: ImagingOrder, record: PatientRecord): number {
  return (order.resource.reasonReference ?? []).filter((ref) => {
    const id = ref.reference?.startsWith('Condition/') === true ? ref.reference.slice('Condition/'.length) : undefined;
    return id === undefined || record.conditions.find((c) => c.id === id)?.code === undefined;
  }).length;
}

/** The draft order itself as an evidence row: which order, which code, which date. */
export function orderEvidence(order: ImagingOrder, what = 'Draft order'): Evidence {
  const coded = order.study.orderedAs ?? { system: order.study.system, code: order.study.code };
  const system = coded.system === SYSTEM.hcpcs ? 'HCPCS' : coded.system === SYSTEM.cpt ? 'CPT' : coded.system === SYSTEM.loinc ? 'LOINC' : coded.system === SYSTEM.snomed ? 'SNOMED' : coded.system;
  return {
    ...(order.resource.id !== undefined ? { reference: order.reference } : {}),
    what: `${what}: ${order.display}`,
    value: `${system} ${coded.code}`,
    ...(order.date !== undefined ? { date: isoDay(order.date) } : {}),
  };
}

/** A reason code of the order as an evidence row. */
export function reasonEvidence(order: ImagingOrder, code: string, display: string, what: string): Evidence {
  return {
    ...(order.resource.id !== undefined ? { reference: order.reference } : {}),
    what,
    value: `${display} (${code})`,
    ...(order.date !== undefined ? { date: isoDay(order.date) } : {}),
  };
}

/** Advice is given when at least one order of a multi-order finding is a target (order-select selections). */
export const anyTarget = (orders: readonly ImagingOrder[]): boolean => orders.some((o) => o.isTarget);

/** The order's code as the clinician sent it (the HCPCS code for an HCPCS twin). */
export const orderedCode = (order: ImagingOrder): string => order.study.orderedAs?.code ?? order.study.code;

export type ContrastAgent = 'iodinated' | 'gadolinium';

/**
 * The IV contrast agent a study uses, from its code: CT/CTA with contrast use iodinated contrast; MRI/MRA
 * with contrast use gadolinium ("MRI with or with and without contrast in these guidelines refers to MRI
 * utilizing gadolinium", Preface-3.1). Codes that do not fix contrast (`with-or-without`) return undefined:
 * the service does not guess.
 */
export function contrastAgent(study: StudyDefinition): ContrastAgent | undefined {
  if (study.contrast !== 'with' && study.contrast !== 'without-and-with') return undefined;
  if (study.modality === 'CT' || study.modality === 'CTA') return 'iodinated';
  if (study.modality === 'MRI' || study.modality === 'MRA') return 'gadolinium';
  return undefined;
}

/** Magnetic resonance of any kind: MRI or MRA (the implant and metal-artifact checks apply to both). */
export const isMr = (study: StudyDefinition): boolean => study.modality === 'MRI' || study.modality === 'MRA';

/** MRI proper, not MRA (whole-body MRI is counted from MRI codes only, Preface-5.2). */
export const isMriOnly = (study: StudyDefinition): boolean => study.modality === 'MRI';

/** PET or PET/CT (Preface-3.1 surveillance, Preface-5.3 PET-MRI). */
export const isPet = (study: StudyDefinition): boolean => study.modality === 'PET' || study.modality === 'PET/CT';
