/**
 * The FHIR R4 types the terminology layer uses.
 *
 * Why not `fhir/r4`: the installed @types/fhir is 3.0.2 (STU3, global namespace only) and has no `fhir/r4`
 * module, so `import type ... from 'fhir/r4'` does not compile in this tree. @medplum/fhirtypes (installed)
 * describes the same R4 JSON structurally, so values typed with either are interchangeable. When the
 * project moves to an @types/fhir that ships `fhir/r4`, only this file changes.
 */
export type { CodeableConcept, Coding, ValueSet } from 'fhir/r4';
