import type { AllergyIntolerance, CodeableConcept, Condition, Device } from 'fhir/r4';

/**
 * "Only what is current counts" (docs/rules.md, Reading the record): the status checks every rule shares.
 */
// Status checks run for every Condition and allergy in every rule that reads them (hundreds of times a
// call), so they look at the codings in place: no arrays collected first, no callback closure per check.
function anyCode(cc: CodeableConcept | undefined, wanted: ReadonlySet<string>): boolean {
  for (const c of cc?.coding ?? []) if (wanted.has(c.code ?? '')) return true;
  return false;
}
const codingCount = (cc: CodeableConcept | undefined): number => cc?.coding?.length ?? 0;

const REJECTED_VERIFICATION: ReadonlySet<string> = new Set(['entered-in-error', 'refuted']);
const CURRENT_CONDITION: ReadonlySet<string> = new Set(['active', 'recurrence', 'relapse']);
const CURRENT_ALLERGY: ReadonlySet<string> = new Set(['active']);

/** Active (or recurrence/relapse) conditions; entered-in-error and refuted ones are ignored. */
export function isCurrentCondition(c: Condition): boolean {
  if (anyCode(c.verificationStatus, REJECTED_VERIFICATION)) return false;
  // R4: clinicalStatus is absent only for entered-in-error; a status-less problem-list entry is taken as current.
  return codingCount(c.clinicalStatus) === 0 || anyCode(c.clinicalStatus, CURRENT_CONDITION);
}

/** Devices that are active or carry no status. */
export function isCurrentDevice(d: Device): boolean {
  return d.status === undefined || d.status === 'active';
}

/** Active allergies (no clinical status counts as active); entered-in-error and refuted ignored. */
export function isCurrentAllergy(a: AllergyIntolerance): boolean {
  if (anyCode(a.verificationStatus, REJECTED_VERIFICATION)) return false;
  return codingCount(a.clinicalStatus) === 0 || anyCode(a.clinicalStatus, CURRENT_ALLERGY);
}
