import type { Contrast, Laterality, Modality, Region } from './types';

/**
 * The shape of cds-services/terminology/imaging-catalog.json (validated by
 * cds-services/schemas/imaging-catalog.schema.json before it gets here).
 */
export interface CatalogFile {
  readonly version: string;
  readonly sources: readonly string[];
  readonly studies: readonly CatalogStudyRow[];
  /** MRI/MRA family -> CT/CTA family used when MRI is contraindicated (Preface-3.1, contrast matched in code). */
  readonly ctCounterparts: readonly { readonly mriFamily: string; readonly ctFamily: string; readonly note?: string }[];
  /** MRI/MRA families that deliberately have no CT counterpart, with the reason (keeps the relation provably total). */
  readonly noCtCounterpart?: readonly { readonly mriFamily: string; readonly reason: string }[];
  /** Unilateral breast MRI code -> bilateral code (Preface-4.4). */
  readonly bilateral: readonly { readonly unilateral: string; readonly bilateral: string }[];
  /** PET code -> PET/CT code (Preface-3.1, "unbundling of PET/CT is not supported"). */
  readonly petCt: readonly { readonly pet: string; readonly petCt: string }[];
  /** LOINC (RSNA/LOINC Radiology Playbook) or SNOMED CT order codes mapped to a catalog code. */
  readonly codeMappings: readonly CodeMappingRow[];
}

export interface CatalogStudyRow {
  readonly code: string;
  readonly system: 'cpt' | 'hcpcs';
  readonly modality: Modality;
  readonly region: Region;
  readonly contrast: Contrast;
  readonly angiography: boolean;
  readonly laterality?: Laterality;
  readonly label: string;
  readonly family?: string;
  readonly cptTwin?: string;
  readonly coversRegions?: readonly Region[];
  readonly source?: string;
}

export interface CodeMappingRow {
  readonly system: 'loinc' | 'snomed';
  readonly code: string;
  readonly study: string;
  /** The mapped code does not fix contrast the way the target CPT code does (e.g. SNOMED "CT of head"). */
  readonly contrast?: Contrast;
  /** Laterality carried by the mapped code (e.g. a LOINC "... Right" term). */
  readonly laterality?: Laterality;
  readonly source: string;
}
