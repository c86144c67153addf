import type { ImagingOrder } from '../../orders/imaging-order';
import type { Region, Terminology } from '../../terminology/types';
import { isMriOnly, isPet, orderText, orderedCode, textMatches } from './order-facts';

/**
 * How the service recognises a whole-body request in a draft (Preface-5). The guideline names the studies
 * ("CT Brain, Chest, Abdomen, and Pelvis", Preface-5.1; "reportable using CPT 76498", "separate diagnostic
 * MRI codes for multiple individual body parts", "MRI Bone Marrow Supply (CPT 77084)", Preface-5.2;
 * "PET Whole-Body (CPT 78813) and MRI Unlisted (CPT 76498)", Preface-5.3); the codes and text patterns are
 * rule parameters (cds-services/rules/*.json), the combinatorics live here.
 */

const isCt = (o: ImagingOrder): boolean => o.study.modality === 'CT';

const WHOLE_BODY_CT_REGIONS: ReadonlySet<Region> = new Set<Region>(['head', 'chest', 'abdomen', 'pelvis', 'abdomen_pelvis', 'whole_body', 'other']);

/** Could this order be part of a whole-body CT? (Cheap pre-check: decides whether the conditions are read.) */
export const mayBeWholeBodyCt = (o: ImagingOrder): boolean => isCt(o) && WHOLE_BODY_CT_REGIONS.has(o.study.region);

export interface WholeBodyCtOptions {
  /** Free-text patterns that make a single CT order (e.g. unlisted 76497) a whole-body CT. */
  readonly wholeBodyTextPatterns: readonly string[];
  /** Codes that are whole-body CT only when their text says so (the unlisted CT code). */
  readonly unlistedCtCodes: readonly string[];
}

/**
 * The CT orders that together make a whole-body CT: head/brain + chest + abdomen and pelvis (as one
 * abdomen-pelvis code or separate abdomen and pelvis codes) in one draft, or one CT that is itself
 * whole-body (catalog region whole_body, or an unlisted CT whose text says whole body). CTA is excluded:
 * angiography of several territories is a vascular work-up, not a survey.
 */
export function wholeBodyCtOrders(orders: readonly ImagingOrder[], terminology: Terminology, o: WholeBodyCtOptions): ImagingOrder[] | undefined {
  const cts = orders.filter(isCt);
  const single = cts.filter(
    (x) => x.study.region === 'whole_body' || (o.unlistedCtCodes.includes(orderedCode(x)) && textMatches(orderText(x.resource), o.wholeBodyTextPatterns)),
  );
  if (single.length > 0) return single;
  const covers = (x: ImagingOrder, r: Region): boolean => terminology.regionsCovered(x.study).includes(r);
  const parts = cts.filter((x) => ['head', 'chest', 'abdomen', 'pelvis'].some((r) => covers(x, r as Region)));
  const all = (['head', 'chest', 'abdomen', 'pelvis'] as const).every((r) => parts.some((x) => covers(x, r)));
  return all ? parts : undefined;
}

/** Body-region groups for "separate diagnostic MRI codes for multiple individual body parts". */
const REGION_GROUP: Readonly<Partial<Record<Region, string>>> = {
  head: 'head',
  orbit_face_neck: 'neck',
  chest: 'chest',
  abdomen: 'abdomen',
  pelvis: 'pelvis',
  spine_cervical: 'spine',
  spine_thoracic: 'spine',
  spine_lumbar: 'spine',
  upper_extremity: 'upper-extremity',
  lower_extremity: 'lower-extremity',
};

export interface WbmriOptions {
  /** The only code WBMRI is reportable with (76498). */
  readonly wbmriCode: string;
  /** MRI bone marrow blood supply (77084), an inappropriate way of reporting WBMRI. */
  readonly boneMarrowCode: string;
  readonly wholeBodyTextPatterns: readonly string[];
  /** Separate body-part MRI orders spanning at least this many region groups ... */
  readonly minRegionGroups: number;
  /** ... including all of these, make a WBMRI request. */
  readonly requiredRegionGroups: readonly string[];
}

export interface WbmriRequest {
  /** Every draft order that is part of the whole-body MRI request. */
  readonly orders: readonly ImagingOrder[];
  /** 76498 orders that say whole body. */
  readonly unlisted: readonly ImagingOrder[];
  /** 77084 orders that say whole body. */
  readonly boneMarrow: readonly ImagingOrder[];
  /** Separate body-part MRI orders that together span the body (empty unless they do). */
  readonly separate: readonly ImagingOrder[];
}

/**
 * A whole-body MRI request in the draft, by any of the three ways it is seen in practice. A 76498 that goes
 * with a PET code is PET-MRI (Preface-5.3), not WBMRI, and is left to the pet-mri rule.
 */
export function wbmriRequest(orders: readonly ImagingOrder[], terminology: Terminology, o: WbmriOptions): WbmriRequest | undefined {
  const withPet = orders.some((x) => isPet(x.study));
  const saysWholeBody = (x: ImagingOrder): boolean => textMatches(orderText(x.resource), o.wholeBodyTextPatterns);
  const unlisted = withPet ? [] : orders.filter((x) => orderedCode(x) === o.wbmriCode && saysWholeBody(x));
  const boneMarrow = orders.filter((x) => orderedCode(x) === o.boneMarrowCode && saysWholeBody(x));
  const bodyParts = orders.filter((x) => isMriOnly(x.study) && orderedCode(x) !== o.wbmriCode && orderedCode(x) !== o.boneMarrowCode);
  const groups = new Set(bodyParts.flatMap((x) => terminology.regionsCovered(x.study).map((r) => REGION_GROUP[r]).filter((g): g is string => g !== undefined)));
  const spans = groups.size >= o.minRegionGroups && o.requiredRegionGroups.every((g) => groups.has(g));
  const separate = spans ? bodyParts.filter((x) => terminology.regionsCovered(x.study).some((r) => REGION_GROUP[r] !== undefined)) : [];
  const all = [...unlisted, ...boneMarrow, ...separate];
  if (all.length === 0) return undefined;
  return { orders: all, unlisted, boneMarrow, separate };
}

export interface PetMriOptions {
  /** PET whole body (78813): with 76498 the one correct PET-MRI code pair. */
  readonly petWholeBodyCode: string;
  readonly mriUnlistedCode: string;
}

export interface PetMriRequest {
  readonly kind: 'pet-mri' | 'coding-error';
  readonly pet: readonly ImagingOrder[];
  readonly mri: readonly ImagingOrder[];
}

/** PET-MRI in the draft: a PET code together with 76498 (Preface-5.3). */
export function petMriRequest(orders: readonly ImagingOrder[], o: PetMriOptions): PetMriRequest | undefined {
  const mri = orders.filter((x) => orderedCode(x) === o.mriUnlistedCode);
  const pet = orders.filter((x) => isPet(x.study));
  if (mri.length === 0 || pet.length === 0) return undefined;
  const correct = pet.filter((x) => orderedCode(x) === o.petWholeBodyCode);
  return correct.length > 0 ? { kind: 'pet-mri', pet: correct, mri } : { kind: 'coding-error', pet, mri };
}

/** Parameters of whole-body-ct-screening and whole-body-ct-myeloma (one request recognised two ways). */
export type WholeBodyCtParameters = WholeBodyCtOptions;

export const WHOLE_BODY_CT_PARAMETER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['wholeBodyTextPatterns', 'unlistedCtCodes'],
  properties: {
    wholeBodyTextPatterns: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    unlistedCtCodes: { type: 'array', items: { type: 'string', pattern: '^[0-9A-Z]{5}$' } },
  },
} as const;

/** Parameters of whole-body-mri and whole-body-mri-coding (one request recognised two ways). */
export type WholeBodyMriParameters = WbmriOptions;

export const WBMRI_PARAMETER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['wbmriCode', 'boneMarrowCode', 'wholeBodyTextPatterns', 'minRegionGroups', 'requiredRegionGroups'],
  properties: {
    wbmriCode: { type: 'string', pattern: '^[0-9A-Z]{5}$' },
    boneMarrowCode: { type: 'string', pattern: '^[0-9A-Z]{5}$' },
    wholeBodyTextPatterns: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    minRegionGroups: { type: 'integer', minimum: 2, maximum: 8 },
    requiredRegionGroups: {
      type: 'array',
      items: { enum: ['head', 'neck', 'chest', 'abdomen', 'pelvis', 'spine', 'upper-extremity', 'lower-extremity'] },
    },
  },
} as const;
