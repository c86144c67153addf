import { loadCatalog } from '../../../src/terminology/load-terminology';
import type { StudyDefinition } from '../../../src/terminology/types';
import { ROOT, realTerminology } from './helpers';

const catalog = loadCatalog(ROOT);
const t = realTerminology();
const studies = t.allStudies();
const families = new Map<string, StudyDefinition[]>();
for (const s of studies) if (s.family !== undefined) families.set(s.family, [...(families.get(s.family) ?? []), s]);
const isMr = (s: StudyDefinition) => s.modality === 'MRI' || s.modality === 'MRA';
const isCt = (s: StudyDefinition) => s.modality === 'CT' || s.modality === 'CTA';

describe('contrast variants (family)', () => {
  it('every with / without-and-with study has its without variant wherever the family has one', () => {
    const missing: string[] = [];
    for (const [family, members] of families) {
      const without = members.find((m) => m.contrast === 'without');
      if (without === undefined) continue;
      for (const m of members.filter((x) => x.contrast === 'with' || x.contrast === 'without-and-with')) {
        if (t.contrastVariant(m, 'without') === undefined) missing.push(`${family}:${m.code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('without-and-with -> with is total for CT triples (double-contrast-ct suggestion)', () => {
    const ctTriples = [...families.values()].filter((m) => m.some((x) => x.modality === 'CT' && x.contrast === 'without-and-with'));
    expect(ctTriples.length).toBeGreaterThanOrEqual(13);
    for (const members of ctTriples) {
      const both = members.find((x) => x.contrast === 'without-and-with');
      expect(both && t.contrastVariant(both, 'with')?.contrast).toBe('with');
    }
    expect(t.contrastVariant(t.study('74178') as StudyDefinition, 'with')?.code).toBe('74177');
  });

  it('a family holds at most one CPT code per contrast level, and the CPT code is the one suggested', () => {
    for (const [, members] of families) {
      const cpt = members.filter((m) => m.system === 'http://www.ama-assn.org/go/cpt');
      expect(new Set(cpt.map((m) => m.contrast)).size).toBe(cpt.length);
    }
  });

  it('every family is one modality group and one region', () => {
    for (const [family, members] of families) {
      expect([family, new Set(members.map((m) => m.region)).size]).toEqual([family, 1]);
      expect([family, new Set(members.map((m) => m.angiography)).size]).toEqual([family, 1]);
    }
  });
});

describe('CT counterpart of MRI (Preface-3.1)', () => {
  const ctRegions = new Set(studies.filter((s) => isCt(s) && s.family !== undefined).map((s) => s.region));
  const mrFamilies = [...families.entries()].filter(([, m]) => m.every(isMr));
  const declaredNone = new Set((catalog.noCtCounterpart ?? []).map((r) => r.mriFamily));

  it('every MRI/MRA family of a region that has a CT family has a counterpart or a stated reason for none', () => {
    const undecided = mrFamilies
      .filter(([, m]) => ctRegions.has(m[0]?.region as never))
      .map(([f]) => f)
      .filter((f) => catalog.ctCounterparts.every((r) => r.mriFamily !== f) && !declaredNone.has(f));
    expect(undecided).toEqual([]);
  });

  it('every counterpart is a CT family of the same region', () => {
    for (const r of catalog.ctCounterparts) {
      const mri = families.get(r.mriFamily) ?? [];
      const ct = families.get(r.ctFamily) ?? [];
      expect(mri.every(isMr)).toBe(true);
      expect(ct.length > 0 && ct.every(isCt)).toBe(true);
      expect([r.mriFamily, ct[0]?.region]).toEqual([r.mriFamily, mri[0]?.region]);
    }
  });

  it('matches contrast: MRI without -> CT without, without-and-with -> CT with, for every mapped MRI code', () => {
    const mapped = new Set(catalog.ctCounterparts.map((r) => r.mriFamily));
    const missing: string[] = [];
    for (const s of studies.filter((x) => x.modality === 'MRI' && x.family !== undefined && mapped.has(x.family))) {
      const ct = t.ctCounterpart(s);
      const expected = s.contrast === 'without' ? 'without' : 'with';
      // the one documented gap: non-contrast cardiac MRI has no non-contrast structural CT
      if (ct === undefined && s.code === '75557') continue;
      if (ct?.contrast !== expected || ct.modality !== 'CT') missing.push(`${s.code}->${ct?.code ?? 'none'}`);
    }
    expect(missing).toEqual([]);
    expect(t.ctCounterpart(t.study('70551') as StudyDefinition)?.code).toBe('70450');
    expect(t.ctCounterpart(t.study('70553') as StudyDefinition)?.code).toBe('70460');
    expect(t.ctCounterpart(t.study('72158') as StudyDefinition)?.code).toBe('72132');
    expect(t.ctCounterpart(t.study('73721') as StudyDefinition)?.code).toBe('73700');
  });

  it('every MRA with a CTA counterpart gets the CTA whatever its contrast, incl. C-codes through their twin', () => {
    for (const s of studies.filter((x) => x.modality === 'MRA' && x.system === 'http://www.ama-assn.org/go/cpt')) {
      const f = s.family ?? '';
      if (declaredNone.has(f)) continue;
      expect([s.code, t.ctCounterpart(s)?.modality]).toEqual([s.code, 'CTA']);
    }
    const c8900 = t.lookupOrder([{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'C8900' }]);
    expect(c8900 && t.ctCounterpart(c8900)?.code).toBe('74175');
  });
});

describe('bilateral, PET/CT and HCPCS twin relations', () => {
  it('every unilateral breast study has its bilateral counterpart with the same contrast', () => {
    const unilateral = studies.filter((s) => s.region === 'breast' && s.laterality === 'unilateral' && s.contrast !== 'n/a');
    expect(unilateral.length).toBe(8);
    for (const s of unilateral) {
      const b = t.bilateralCounterpart(s);
      expect([s.code, b?.laterality, b?.contrast, b?.modality]).toEqual([s.code, 'bilateral', s.contrast, s.modality]);
    }
    expect(t.bilateralCounterpart(t.study('77048') as StudyDefinition)?.code).toBe('77049');
  });

  it('every PET code with a PET/CT equivalent maps to it (same region)', () => {
    // no PET/CT code exists for brain PET, the add-on flow quantitation, or the non-dedicated S-code
    const noEquivalent = new Set(['78608', '78609', '78434', 'S8085']);
    for (const s of studies.filter((x) => x.modality === 'PET' && !noEquivalent.has(x.code))) {
      const p = t.petCtCounterpart(s);
      expect([s.code, p?.modality]).toEqual([s.code, 'PET/CT']);
      expect([s.code, p?.region]).toEqual([s.code, s.region === 'other' ? 'other' : s.region]);
    }
    expect(t.petCtCounterpart(t.study('78812') as StudyDefinition)?.code).toBe('78815');
  });

  it('every HCPCS twin is a CPT code of the same modality', () => {
    const twins = studies.filter((s) => s.cptTwin !== undefined);
    expect(twins.length).toBe(22);
    for (const s of twins) {
      const twin = t.study(s.cptTwin as string);
      expect([s.code, twin?.system, twin?.modality, twin?.region]).toEqual([s.code, 'http://www.ama-assn.org/go/cpt', s.modality, s.region]);
    }
  });
});

describe('region overlap (duplicate-imaging, pet-ct-unbundling)', () => {
  const s = (c: string) => t.study(c) as StudyDefinition;
  it('PET skull base to mid-thigh overlaps a chest or abdomen CT but not a head CT; whole-body PET overlaps all', () => {
    expect(t.regionsOverlap(s('78812'), s('71260'))).toBe(true);
    expect(t.regionsOverlap(s('78812'), s('74177'))).toBe(true);
    expect(t.regionsOverlap(s('78812'), s('70450'))).toBe(false);
    expect(t.regionsOverlap(s('78813'), s('70450'))).toBe(true);
    expect(t.regionsOverlap(s('78813'), s('73700'))).toBe(true);
  });

  it('never treats region "other" (anatomy not fixed by the code) as an overlap', () => {
    expect(t.regionsOverlap(s('76380'), s('76497'))).toBe(false);
    expect(t.regionsOverlap(s('78811'), s('71260'))).toBe(false);
  });

  it('is symmetric over the whole catalog sample', () => {
    const sample = ['70450', '71260', '74177', '72193', '78812', '78813', '72082', '72100', '73721', '76380'].map(s);
    for (const a of sample) for (const b of sample) expect(t.regionsOverlap(a, b)).toBe(t.regionsOverlap(b, a));
  });
});
