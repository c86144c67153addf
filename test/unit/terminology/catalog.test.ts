import { loadCatalog } from '../../../src/terminology/load-terminology';
import { ROOT, realTerminology } from './helpers';

const catalog = loadCatalog(ROOT);
const t = realTerminology();
const code = (c: string) => {
  const s = t.study(c);
  if (s === undefined) throw new Error(`${c} missing from catalog`);
  return s;
};

describe('imaging catalog content', () => {
  it('has no duplicate codes', () => {
    const codes = catalog.studies.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('covers every code the guideline names', () => {
    const named = [
      // coding rules (Preface-4): 3D rendering, limited CT, outside study, unlisted, quantitative MR, brain volumetry
      '76376', '76377', '76380', '76140', '76497', '76498', '78999', '0648T', '0649T', '0697T', '0698T', '0865T', '0866T',
      // HCPCS (Preface-4.9, Preface-3.1)
      'C8931', 'S8042', 'C9791',
      // breast MRI (Preface-4.4), PET/CT (Preface-3.1), whole-body MRI (Preface-5), calcium score (state-mandate)
      '77046', '77047', '77048', '77049', '78811', '78812', '78813', '78814', '78815', '78816', '77084', '75571',
    ];
    expect(named.filter((c) => t.study(c) === undefined)).toEqual([]);
  });

  it('covers radiographs of the spine and of every major joint (xray-first)', () => {
    const byRegion = (region: string) => catalog.studies.filter((s) => s.modality === 'XR' && (s.coversRegions ?? [s.region]).includes(region as never));
    for (const region of ['spine_cervical', 'spine_thoracic', 'spine_lumbar', 'upper_extremity', 'lower_extremity']) {
      expect(byRegion(region).length).toBeGreaterThan(0);
    }
    // shoulder, elbow, wrist, hand, hip, knee, ankle, foot
    for (const c of ['73030', '73080', '73110', '73130', '73502', '73562', '73610', '73630']) {
      expect(code(c).modality).toBe('XR');
      expect(code(c).contrast).toBe('n/a');
    }
    expect(code('72040').region).toBe('spine_cervical');
    expect(code('72100').region).toBe('spine_lumbar');
    expect(t.regionsCovered(code('72082'))).toEqual(['spine_cervical', 'spine_thoracic', 'spine_lumbar']);
  });

  it('never copies a CMS/AMA short descriptor as label (labels are our own words)', () => {
    // CMS short descriptors are upper/lower-case abbreviations like "Mri brain w/o dye"; ours never use "dye".
    expect(catalog.studies.filter((s) => /\bdye\b|\bw\/o\b/i.test(s.label)).map((s) => s.code)).toEqual([]);
  });
});

describe('tricky codes', () => {
  it('spine MRI without-and-with codes are 72156-72158, not the adjacent numbers', () => {
    const spine = [
      ['72141', '72142', '72156'],
      ['72146', '72147', '72157'],
      ['72148', '72149', '72158'],
    ] as const;
    for (const [without, withC, both] of spine) {
      const s = code(without);
      expect(s.contrast).toBe('without');
      expect(code(withC).contrast).toBe('with');
      expect(code(both).contrast).toBe('without-and-with');
      expect(t.contrastVariant(code(both), 'without')?.code).toBe(without);
      expect(t.contrastVariant(s, 'without-and-with')?.code).toBe(both);
    }
    expect(t.study('72143')).toBeUndefined();
  });

  it('CTA codes are contrast studies with angiography=true and never "double contrast"', () => {
    const ctas = catalog.studies.filter((s) => s.modality === 'CTA');
    expect(ctas.length).toBeGreaterThanOrEqual(10);
    for (const s of ctas) {
      expect(s.angiography).toBe(true);
      expect(s.contrast).not.toBe('without-and-with');
      expect(s.contrast).not.toBe('without');
    }
    // 72191/73206/73706 carry "w/o&w" in the CMS short descriptor but are CTA: with contrast
    for (const c of ['72191', '73206', '73706', '70496', '71275']) expect(code(c).contrast).toBe('with');
    // and no non-angiography code is flagged
    expect(catalog.studies.filter((s) => s.angiography && !['CTA', 'MRA'].includes(s.modality))).toEqual([]);
  });

  it('74176-74178 cover abdomen and pelvis together', () => {
    for (const c of ['74176', '74177', '74178']) {
      const s = code(c);
      expect(s.region).toBe('abdomen_pelvis');
      expect(t.regionsCovered(s)).toEqual(['abdomen', 'pelvis']);
      expect(t.regionsOverlap(s, code('72193'))).toBe(true); // CT pelvis
      expect(t.regionsOverlap(s, code('74160'))).toBe(true); // CT abdomen
      expect(t.regionsOverlap(s, code('71260'))).toBe(false); // CT chest
    }
  });

  it('C8931 resolves to 72159 and keeps its own contrast (with)', () => {
    const s = t.lookupOrder([{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'C8931' }]);
    expect(s?.code).toBe('72159');
    expect(s?.modality).toBe('MRA');
    expect(s?.contrast).toBe('with');
    expect(s?.orderedAs).toEqual({ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'C8931' });
    // the plain CPT code stays with-or-without
    expect(code('72159').contrast).toBe('with-or-without');
  });

  it('every MRA C-code keeps its contrast when resolved to its with-or-without CPT twin', () => {
    const cCodes = catalog.studies.filter((s) => s.system === 'hcpcs' && s.modality === 'MRA');
    expect(cCodes.length).toBe(18);
    for (const c of cCodes) {
      const resolved = t.lookupOrder([{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: c.code }]);
      expect(resolved?.code).toBe(c.cptTwin);
      expect(resolved?.contrast).toBe(c.contrast);
    }
  });

  it('breast C-codes with a same-contrast CPT twin resolve to it; S8042 and C9791 stay HCPCS', () => {
    expect(t.lookupOrder([{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'C8908' }])?.code).toBe('77049');
    expect(t.lookupOrder([{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'C8903' }])?.code).toBe('C8903');
    expect(code('S8042').cptTwin).toBeUndefined();
    expect(code('C9791').modality).toBe('MRI');
  });

  it('the unlisted and Category III codes the rules key on are in the catalog with the right modality', () => {
    expect(code('76497').modality).toBe('CT');
    expect(code('76498').modality).toBe('MRI');
    expect(code('78999').modality).toBe('NM');
    for (const c of ['0648T', '0649T', '0697T', '0698T', '0865T', '0866T']) expect(code(c).modality).toBe('MRI');
  });
});
