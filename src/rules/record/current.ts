import type { AllergyIntolerance, CodeableConcept, Condition, Device } from 'fhir/r4';

/**
 * "Only what is current counts" (RULES.md, Reading the record): the status checks every rule shares.
 */
const codesOf = (cc: CodeableConcept | undefined): string[] => (cc?.coding ?? []).map((c) => c.code ?? '');

const REJECTED_VERIFICATION = new Set(['entered-in-error', 'refuted']);

/** Active (or recurrence/relapse) conditions; entered-in-error and refuted ones are ignored. */
export function isCurrentCondition(c: Condition): boolean {
  if (codesOf(c.verificationStatus).some((v) => REJECTED_VERIFICATION.has(v))) return false;
  const clinical = codesOf(c.clinicalStatus);
  // R4: clinicalStatus is absent only for entered-in-error; a status-less problem-list entry is taken as current.
  if (clinical.length === 0) return true;
  return clinical.some((s) => s === 'active' || s === 'recurrence' || s === 'relapse');
}

/** Devices that are active or carry no status. */
export function isCurrentDevice(d: Device): boolean {
  return d.status === undefined || d.status === 'active';
}

/** Active allergies (no clinical status counts as active); entered-in-error and refuted ignored. */
export function isCurrentAllergy(a: AllergyIntolerance): boolean {
  if (codesOf(a.verificationStatus).some((v) => REJECTED_VERIFICATION.has(v))) return false;
  const clinical = codesOf(a.clinicalStatus);
  return clinical.length === 0 || clinical.includes('active');
}
