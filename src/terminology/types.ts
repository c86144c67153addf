import type { Coding, CodeableConcept } from 'fhir/r4';

/** What an imaging code means, as the vocabulary of docs/rules.md uses it. */
export type Modality = 'CT' | 'CTA' | 'MRI' | 'MRA' | 'PET' | 'PET/CT' | 'NM' | 'US' | 'XR' | 'other';

/**
 * `with-or-without`: the code does not fix contrast (CPT MRA 71555, 72159...); `n/a`: contrast does not apply.
 * CTA and MRA codes carry their own contrast phases and are never "double contrast" (docs/rules.md vocabulary).
 */
export type Contrast = 'without' | 'with' | 'without-and-with' | 'with-or-without' | 'n/a';

export type Region =
  | 'head'
  | 'orbit_face_neck'
  | 'chest'
  | 'cardiac'
  | 'abdomen'
  | 'pelvis'
  | 'abdomen_pelvis'
  | 'spine_cervical'
  | 'spine_thoracic'
  | 'spine_lumbar'
  | 'upper_extremity'
  | 'lower_extremity'
  | 'breast'
  | 'whole_body'
  | 'other';

export type Laterality = 'unilateral' | 'bilateral' | 'left' | 'right';

/** One catalog entry: a CPT or HCPCS code and what it means (cds-services/terminology/imaging-catalog.json). */
export interface StudyDefinition {
  readonly code: string;
  /** Canonical system URI (SYSTEM.cpt or SYSTEM.hcpcs). */
  readonly system: string;
  readonly modality: Modality;
  readonly region: Region;
  readonly contrast: Contrast;
  /** CTA / MRA: contrast is part of the study, so never "double contrast". */
  readonly angiography: boolean;
  readonly laterality?: Laterality;
  /** Our own short label (never AMA descriptor text). */
  readonly label: string;
  /** Groups the contrast variants of one study (e.g. "mri-brain"). */
  readonly family?: string;
  /** For an HCPCS code with a CPT twin (Preface-4.9): the CPT code every other rule evaluates it as. */
  readonly cptTwin?: string;
  /**
   * Every region the study images when it spans more than its primary `region`
   * (74176-74178 abdomen and pelvis; 72081-72084 the whole spine). Absent: just `region`.
   */
  readonly coversRegions?: readonly Region[];
  /** When the study was reached through an HCPCS twin or a LOINC/SNOMED mapping: the order's own coding. */
  readonly orderedAs?: { readonly system: string; readonly code: string };
}

/** The value sets the rules use, by ValueSet.id (fhir-profiles/ValueSet-<id>.json). */
export type ValueSetId = string;

export interface Terminology {
  /** The study an order's codings describe: CPT/HCPCS first, then mapped LOINC/SNOMED; undefined when unknown. */
  lookupOrder(codings: readonly Coding[] | undefined): StudyDefinition | undefined;
  /** A catalog entry by its CPT/HCPCS code. */
  study(code: string): StudyDefinition | undefined;
  /**
   * Is this coding a member of the value set? (O(1): Set membership, ICD-10-CM is-a by prefix). Throws
   * UnknownValueSetError for an id that was never loaded, whatever the coding.
   */
  inValueSet(coding: Coding | undefined, valueSetId: ValueSetId): boolean;
  /** The first coding of a concept that is in the value set, or undefined; throws like `inValueSet` on an unknown id. */
  matchConcept(concept: CodeableConcept | undefined, valueSetId: ValueSetId): Coding | undefined;
  /** The same study with another contrast level (with -> without, without-and-with -> with ...). */
  contrastVariant(study: StudyDefinition, contrast: Contrast): StudyDefinition | undefined;
  /**
   * The CT that replaces an MRI/MRA when MRI is contraindicated, contrast matched per Preface-3.1:
   * MRI without -> CT without; MRI without-and-with -> CT with.
   */
  ctCounterpart(study: StudyDefinition): StudyDefinition | undefined;
  /** Unilateral breast MRI -> the bilateral code with the same contrast (Preface-4.4). */
  bilateralCounterpart(study: StudyDefinition): StudyDefinition | undefined;
  /** PET code -> the PET/CT code of the same extent (Preface-3.1 unbundling). */
  petCtCounterpart(study: StudyDefinition): StudyDefinition | undefined;
  /** Is this value set known (used to validate rule content at start-up)? */
  hasValueSet(valueSetId: ValueSetId): boolean;
  /** Every region a study images: `coversRegions` when present, else its `region` (O(1), precomputed). */
  regionsCovered(study: StudyDefinition): readonly Region[];
  /**
   * Do two studies image at least one region in common (e.g. CT abdomen+pelvis vs CT pelvis; PET skull base to
   * mid-thigh vs CT chest)? Region `other` (anatomy not fixed by the code) never overlaps.
   */
  regionsOverlap(a: StudyDefinition, b: StudyDefinition): boolean;
  /** All catalog entries, in file order (for content validation and tests; rules use the lookups above). */
  allStudies(): readonly StudyDefinition[];
  /** The ids of all loaded value sets. */
  valueSetIds(): readonly ValueSetId[];
}
