import type { CodeableConcept, Coding, ValueSet } from 'fhir/r4';
import type { CatalogFile } from './catalog-file';
import { SYSTEM, canonicalSystem, normaliseCode } from './systems';
import type { Contrast, Modality, Region, StudyDefinition, Terminology, ValueSetId } from './types';

/** Contrast of the CT that replaces an MRI (Preface-3.1 "contrast level matching"). */
const CT_CONTRAST_FOR_MRI: Readonly<Record<Contrast, Contrast | undefined>> = {
  without: 'without',
  'without-and-with': 'with',
  with: 'with',
  'with-or-without': undefined,
  'n/a': undefined,
};

/** DICOM CID 29 acquisition modality -> our modality (terminology.md section 6b: DICOM says MR and PT, not MRI/PET). */
const DICOM_MODALITY: ReadonlyMap<string, Modality> = new Map<string, Modality>([
  ['CT', 'CT'],
  ['MR', 'MRI'],
  ['PT', 'PET'],
  ['NM', 'NM'],
  ['US', 'US'],
  ['CR', 'XR'],
  ['DX', 'XR'],
]);

interface CompiledValueSet {
  /** `${system}|${code}` for every enumerated concept. */
  readonly members: ReadonlySet<string>;
  /** ICD-10-CM `is-a` filters, matched as code prefixes (the ICD-10-CM hierarchy is lexical). */
  readonly icdPrefixes: readonly string[];
}

const key = (system: string, code: string): string => `${system}|${code}`;

function compileValueSet(vs: ValueSet): CompiledValueSet {
  const members = new Set<string>();
  const icdPrefixes: string[] = [];
  for (const include of vs.compose?.include ?? []) {
    const system = canonicalSystem(include.system);
    if (system === undefined) continue;
    for (const concept of include.concept ?? []) members.add(key(system, normaliseCode(system, concept.code)));
    for (const filter of include.filter ?? []) {
      // Only ICD-10-CM is-a is computable without a terminology server; content validation rejects the rest.
      if (system === SYSTEM.icd10cm && filter.op === 'is-a') icdPrefixes.push(normaliseCode(system, filter.value));
    }
  }
  return { members, icdPrefixes };
}

function icdIsA(code: string, parent: string): boolean {
  return code === parent || (code.startsWith(parent) && (parent.length === 3 ? code[3] === '.' : true));
}

/**
 * Builds the in-memory terminology once at start-up: Maps and Sets only, so that every lookup a rule
 * makes per request is O(1) and no rule parses codes or reads files itself.
 */
export function buildTerminology(catalog: CatalogFile, valueSets: readonly ValueSet[]): Terminology {
  const byCode = new Map<string, StudyDefinition>();
  for (const row of catalog.studies) {
    const system = row.system === 'cpt' ? SYSTEM.cpt : SYSTEM.hcpcs;
    const { source: _source, ...rest } = row;
    byCode.set(row.code.toUpperCase(), { ...rest, system });
  }
  const studies = [...byCode.values()];
  // One study per family and contrast level. A CPT code wins over an HCPCS code of the same family and
  // contrast, so that a suggested replacement is the CPT code (Preface-4.9: HCPCS requests are redirected).
  const byFamilyContrast = new Map<string, StudyDefinition>();
  for (const study of studies) {
    if (study.family === undefined) continue;
    const k = `${study.family}|${study.contrast}`;
    const existing = byFamilyContrast.get(k);
    if (existing === undefined || (existing.system !== SYSTEM.cpt && study.system === SYSTEM.cpt)) byFamilyContrast.set(k, study);
  }
  const familyMembers = new Map<string, StudyDefinition[]>();
  for (const study of studies) {
    if (study.family === undefined) continue;
    const list = familyMembers.get(study.family) ?? [];
    list.push(study);
    familyMembers.set(study.family, list);
  }
  const ctFamilyOf = new Map(catalog.ctCounterparts.map((r) => [r.mriFamily, r.ctFamily] as const));
  const bilateralOf = new Map(catalog.bilateral.map((r) => [r.unilateral, r.bilateral] as const));
  const petCtOf = new Map(catalog.petCt.map((r) => [r.pet, r.petCt] as const));
  const mapped = new Map<string, CatalogFile['codeMappings'][number]>();
  for (const m of catalog.codeMappings) mapped.set(key(SYSTEM[m.system], m.code), m);

  const regionsOf = new Map<string, readonly Region[]>();
  for (const study of studies) regionsOf.set(study.code, study.coversRegions ?? [study.region]);

  const compiled = new Map<ValueSetId, CompiledValueSet>();
  for (const vs of valueSets) if (vs.id !== undefined) compiled.set(vs.id, compileValueSet(vs));

  const study = (code: string): StudyDefinition | undefined => byCode.get(code.trim().toUpperCase());

  /**
   * HCPCS codes with a CPT twin are evaluated exactly as that CPT code (Preface-4.9). The twin's contrast is
   * kept only when it is at least as specific: an OPPS MRA C-code (C8931 "with contrast") has a CPT twin
   * (72159) whose contrast is `with-or-without`, and dropping the C-code's contrast would hide it from the
   * contrast rules. The order's own code is kept in `orderedAs`.
   */
  const resolveTwin = (s: StudyDefinition | undefined): StudyDefinition | undefined => {
    if (s?.cptTwin === undefined) return s;
    const twin = study(s.cptTwin);
    if (twin === undefined) return s;
    const contrast = twin.contrast === 'with-or-without' && s.contrast !== 'n/a' ? s.contrast : twin.contrast;
    return { ...twin, contrast, orderedAs: { system: s.system, code: s.code } };
  };

  // Reverse index, built once: which value sets hold a code, and which hold an ICD-10-CM is-a prefix. A
  // coding is then classified once (all value sets at a time) instead of once per rule and value set.
  const setsWithMember = new Map<string, ValueSetId[]>();
  const setsWithIcdPrefix = new Map<string, ValueSetId[]>();
  for (const [id, vs] of compiled) {
    for (const member of vs.members) setsWithMember.set(member, [...(setsWithMember.get(member) ?? []), id]);
    for (const prefix of vs.icdPrefixes) setsWithIcdPrefix.set(prefix, [...(setsWithIcdPrefix.get(prefix) ?? []), id]);
  }
  const NO_SETS: ReadonlySet<ValueSetId> = new Set();

  const classify = (coding: Coding): ReadonlySet<ValueSetId> => {
    const system = canonicalSystem(coding.system);
    if (system === undefined || coding.code === undefined) return NO_SETS;
    const code = normaliseCode(system, coding.code);
    const exact = setsWithMember.get(key(system, code));
    let sets: Set<ValueSetId> | undefined = exact === undefined ? undefined : new Set(exact);
    if (system === SYSTEM.icd10cm) {
      // The ICD-10-CM hierarchy is lexical: every ancestor of a code is one of its prefixes.
      for (let end = 1; end <= code.length; end += 1) {
        const prefix = code.slice(0, end);
        const holders = setsWithIcdPrefix.get(prefix);
        if (holders === undefined || !icdIsA(code, prefix)) continue;
        sets ??= new Set();
        for (const id of holders) sets.add(id);
      }
    }
    return sets ?? NO_SETS;
  };

  /**
   * The value sets a coding belongs to, worked out on first use and remembered on the coding object itself
   * (a WeakMap: request data is parsed per call, so the memo lives exactly as long as the call's record and
   * cannot grow with traffic). Twenty rules asking about the same Condition cost one classification.
   */
  const classified = new WeakMap<Coding, ReadonlySet<ValueSetId>>();
  const valueSetsOf = (coding: Coding): ReadonlySet<ValueSetId> => {
    let sets = classified.get(coding);
    if (sets === undefined) {
      sets = classify(coding);
      classified.set(coding, sets);
    }
    return sets;
  };

  const inValueSet = (coding: Coding | undefined, id: ValueSetId): boolean =>
    coding?.code !== undefined && typeof coding === 'object' && valueSetsOf(coding).has(id);

  const regionsCovered = (s: StudyDefinition): readonly Region[] => regionsOf.get(s.code) ?? s.coversRegions ?? [s.region];

  return {
    study,
    lookupOrder(codings) {
      if (codings === undefined) return undefined;
      let fromMapping: StudyDefinition | undefined;
      for (const c of codings) {
        const system = canonicalSystem(c.system);
        if (c.code === undefined || system === undefined) continue;
        if (system === SYSTEM.cpt || system === SYSTEM.hcpcs) {
          const direct = study(c.code);
          if (direct !== undefined) return resolveTwin(direct);
        } else if (fromMapping === undefined) {
          const m = mapped.get(key(system, normaliseCode(system, c.code)));
          const target = m === undefined ? undefined : study(m.study);
          if (m !== undefined && target !== undefined) {
            // The mapped code may say less (contrast) or more (laterality) than the CPT code it maps to.
            fromMapping = {
              ...target,
              ...(m.contrast !== undefined ? { contrast: m.contrast } : {}),
              ...(m.laterality !== undefined ? { laterality: m.laterality } : {}),
              orderedAs: { system, code: m.code },
            };
          }
        }
      }
      return resolveTwin(fromMapping);
    },
    inValueSet,
    matchConcept(concept: CodeableConcept | undefined, id: ValueSetId) {
      const codings = concept?.coding;
      if (codings === undefined) return undefined;
      for (const c of codings) if (inValueSet(c, id)) return c;
      return undefined;
    },
    contrastVariant(s, contrast) {
      if (s.family === undefined) return undefined;
      return byFamilyContrast.get(`${s.family}|${contrast}`);
    },
    ctCounterpart(s) {
      const ctFamily = s.family === undefined ? undefined : ctFamilyOf.get(s.family);
      if (ctFamily === undefined) return undefined;
      const contrast = CT_CONTRAST_FOR_MRI[s.contrast];
      const matched = contrast === undefined ? undefined : byFamilyContrast.get(`${ctFamily}|${contrast}`);
      if (matched !== undefined) return matched;
      // An MRA's counterpart is a CTA, which always carries its own iodinated contrast phases: the single
      // CTA code is the counterpart whatever the MRA contrast (the contrast rules then judge that contrast).
      const members = familyMembers.get(ctFamily) ?? [];
      const first = members[0];
      return s.angiography && members.length === 1 && first?.angiography === true ? first : undefined;
    },
    bilateralCounterpart(s) {
      const code = bilateralOf.get(s.orderedAs?.system === SYSTEM.hcpcs ? s.orderedAs.code : s.code) ?? bilateralOf.get(s.code);
      return code === undefined ? undefined : resolveTwin(study(code));
    },
    petCtCounterpart(s) {
      const code = petCtOf.get(s.code);
      return code === undefined ? undefined : study(code);
    },
    hasValueSet: (id) => compiled.has(id),
    regionsCovered,
    regionsOverlap(a, b) {
      // 'other' means the code does not fix the anatomy (76380, unlisted, PET limited area): never assume overlap.
      const ra = regionsCovered(a).filter((r) => r !== 'other');
      return regionsCovered(b).some((r) => r !== 'other' && ra.includes(r));
    },
    dicomModality(coding) {
      if (coding?.code === undefined || canonicalSystem(coding.system) !== SYSTEM.dicomDcm) return undefined;
      return DICOM_MODALITY.get(coding.code.trim().toUpperCase());
    },
    allStudies: () => studies,
    valueSetIds: () => [...compiled.keys()],
  };
}
