import type { CodeableConcept, Coding, ValueSet } from 'fhir/r4';
import type { CatalogFile } from './catalog-file';
import { SYSTEM, canonicalSystem, isNormalCode, normaliseCode } from './systems';
import type { Contrast, Modality, Region, StudyDefinition, Terminology, ValueSetId } from './types';

/** Contrast of the CT that replaces an MRI (Preface-3.1 "contrast level matching"). */
const CT_CONTRAST_FOR_MRI: Readonly<Record<Contrast, Contrast | undefined>> = {
  without: 'without',
  'without-and-with': 'with',
  with: 'with',
  'with-or-without': undefined,
  'n/a': undefined,
};

/** DICOM CID 29 acquisition modality -> our modality (DICOM says MR and PT, not MRI/PET). */
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
  /** Every enumerated concept, by canonical system. */
  readonly bySystem: ReadonlyMap<string, ReadonlySet<string>>;
  /** ICD-10-CM `is-a` filters, matched as code prefixes (the ICD-10-CM hierarchy is lexical). */
  readonly icdPrefixes: readonly string[];
}

const key = (system: string, code: string): string => `${system}|${code}`;

function compileValueSet(vs: ValueSet): CompiledValueSet {
  const bySystem = new Map<string, Set<string>>();
  const icdPrefixes: string[] = [];
  for (const include of vs.compose?.include ?? []) {
    const system = canonicalSystem(include.system);
    if (system === undefined) continue;
    const codes = bySystem.get(system) ?? new Set<string>();
    bySystem.set(system, codes);
    for (const concept of include.concept ?? []) codes.add(normaliseCode(system, concept.code));
    for (const filter of include.filter ?? []) {
      // Only ICD-10-CM is-a is computable without a terminology server; content validation rejects the rest.
      if (system === SYSTEM.icd10cm && filter.op === 'is-a') icdPrefixes.push(normaliseCode(system, filter.value));
    }
  }
  return { bySystem, icdPrefixes };
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

  // Reverse index, built once: system -> code -> the value sets that enumerate it. A membership test is two
  // Map lookups on strings whose hashes V8 caches on the string, with nothing allocated: it runs thousands
  // of times per call (every rule asks about every current Condition, allergy, device and lab).
  const setsByCode = new Map<string, Map<string, ValueSetId[]>>();
  for (const [id, vs] of compiled) {
    for (const [system, codes] of vs.bySystem) {
      const index = setsByCode.get(system) ?? new Map<string, ValueSetId[]>();
      setsByCode.set(system, index);
      for (const code of codes) index.set(code, [...(index.get(code) ?? []), id]);
    }
  }

  const inValueSet = (coding: Coding | undefined, id: ValueSetId): boolean => {
    const written = coding?.code;
    if (written === undefined || typeof written !== 'string') return false;
    const system = canonicalSystem(coding?.system);
    if (system === undefined) return false;
    // Codes are usually sent as the value sets write them; only a code that is not gets normalised (trim,
    // case, ICD-10-CM dot), and only once.
    const code = isNormalCode(system, written) ? written : normaliseCode(system, written);
    const sets = setsByCode.get(system)?.get(code);
    if (sets !== undefined && sets.includes(id)) return true;
    if (system !== SYSTEM.icd10cm) return false;
    const prefixes = compiled.get(id)?.icdPrefixes;
    if (prefixes === undefined) return false;
    // A plain loop: a `.some` callback would allocate a closure on every ICD-10-CM check (~25 kB per call).
    for (const prefix of prefixes) if (icdIsA(code, prefix)) return true;
    return false;
  };

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
