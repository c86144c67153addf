import fs from 'node:fs';
import path from 'node:path';
import { loadValueSets } from '../../../src/terminology/load-terminology';
import { ICD, LNC, ROOT, SCT, realTerminology } from './helpers';

/** The ids rules code against; every one must exist. */
const REQUIRED_IDS = [
  'renal-impairment-conditions', 'dialysis', 'egfr-observations', 'creatinine-observations', 'bun-observations',
  'pregnancy-conditions', 'pregnancy-status-observations', 'pregnancy-positive-answers', 'hcg-tests', 'lactation',
  'diabetes', 'i131-thyroid-disease', 'multiple-myeloma', 'wbmri-cancer-predisposition', 'crmo',
  'iodinated-contrast-allergy', 'gadolinium-contrast-allergy', 'shellfish-allergy', 'mri-contraindicated-devices',
  'mri-contraindicated-conditions', 'non-magnetic-orthopaedic-implants', 'screening-encounters',
  'malignancy-history-surveillance', 'breast-indications', 'chest-wall-mediastinal-indications',
  'clinical-evaluation-encounters', 'mr-safety-unsafe', 'mr-safety-conditional', 'research-study-indications',
];

const t = realTerminology();
const valueSets = loadValueSets(ROOT);

describe('clinical value sets', () => {
  it('all required ids exist and validate', () => {
    expect(REQUIRED_IDS.filter((id) => !t.hasValueSet(id))).toEqual([]);
    expect(valueSets.length).toBeGreaterThanOrEqual(REQUIRED_IDS.length);
  });

  it('every value set has url, version, name, title, status, a description citing a source, and at least one code', () => {
    for (const vs of valueSets) {
      expect(vs.url).toBe(`http://imaging-cds.org/fhir/ValueSet/${vs.id}`);
      expect(vs.description).toMatch(/[Ss]ource|VSAC|ICD-10-CM|NCI/);
      const concepts = vs.compose?.include.flatMap((i) => [...(i.concept ?? []), ...(i.filter ?? [])]) ?? [];
      expect([vs.id, concepts.length > 0]).toEqual([vs.id, true]);
    }
  });

  it('uses only ICD-10-CM is-a filters', () => {
    for (const vs of valueSets) {
      for (const inc of vs.compose?.include ?? []) {
        if (inc.filter !== undefined) {
          expect(inc.system).toBe(ICD);
          for (const f of inc.filter) expect([f.property, f.op]).toEqual(['concept', 'is-a']);
        }
      }
    }
  });

  it('the renal, pregnancy and allergy sets hold the codes the rules depend on (and not their look-alikes)', () => {
    expect(t.inValueSet({ system: ICD, code: 'N18.5' }, 'renal-impairment-conditions')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'N17.9' }, 'renal-impairment-conditions')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'N18.30' }, 'renal-impairment-conditions')).toBe(false); // CKD 3: GFR >= 30
    expect(t.inValueSet({ system: ICD, code: 'Z99.2' }, 'dialysis')).toBe(true);
    expect(t.inValueSet({ system: LNC, code: '98979-8' }, 'egfr-observations')).toBe(true);
    expect(t.inValueSet({ system: LNC, code: '48643-3' }, 'egfr-observations')).toBe(false); // invalid LOINC
    expect(t.inValueSet({ system: LNC, code: '35591-7' }, 'egfr-observations')).toBe(false); // not normalised
    expect(t.inValueSet({ system: LNC, code: '14682-9' }, 'creatinine-observations')).toBe(true); // molar
    expect(t.inValueSet({ system: LNC, code: '2160-0' }, 'creatinine-observations')).toBe(true); // mass
    expect(t.inValueSet({ system: ICD, code: 'Z3A.20' }, 'pregnancy-conditions')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'O80' }, 'pregnancy-conditions')).toBe(false); // delivery: not ongoing
    expect(t.inValueSet({ system: LNC, code: 'LA15173-0' }, 'pregnancy-positive-answers')).toBe(true);
    expect(t.inValueSet({ system: SCT, code: '146799005' }, 'pregnancy-positive-answers')).toBe(false); // possible pregnancy
    expect(t.inValueSet({ system: ICD, code: 'Z91.041' }, 'iodinated-contrast-allergy')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'Z91.013' }, 'iodinated-contrast-allergy')).toBe(false); // seafood is not contrast
    expect(t.inValueSet({ system: ICD, code: 'Z91.013' }, 'shellfish-allergy')).toBe(true);
    expect(t.inValueSet({ system: SCT, code: '407976008' }, 'gadolinium-contrast-allergy')).toBe(true); // gadobutrol
  });

  it('device and implant sets separate contraindicating from non-magnetic implants', () => {
    expect(t.inValueSet({ system: SCT, code: '14106009' }, 'mri-contraindicated-devices')).toBe(true);
    expect(t.inValueSet({ system: SCT, code: '43252007' }, 'mri-contraindicated-devices')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'Z18.11' }, 'mri-contraindicated-conditions')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'Z18.12' }, 'mri-contraindicated-conditions')).toBe(false);
    expect(t.inValueSet({ system: ICD, code: 'Z18.12' }, 'non-magnetic-orthopaedic-implants')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'Z96.641' }, 'non-magnetic-orthopaedic-implants')).toBe(true);
    expect(t.inValueSet({ system: SCT, code: '304120007' }, 'non-magnetic-orthopaedic-implants')).toBe(true);
    expect(t.inValueSet({ system: SCT, code: '304120007' }, 'mri-contraindicated-devices')).toBe(false);
  });

  it('no code is both an MRI contraindication and a non-magnetic implant', () => {
    const members = (id: string) =>
      new Set(valueSets.find((v) => v.id === id)?.compose?.include.flatMap((i) => (i.concept ?? []).map((c) => `${i.system}|${c.code}`)));
    const contraindicated = new Set([...members('mri-contraindicated-devices'), ...members('mri-contraindicated-conditions')]);
    expect([...members('non-magnetic-orthopaedic-implants')].filter((k) => contraindicated.has(k))).toEqual([]);
  });

  it('clinical evaluation covers office, telehealth, telephone and messaging encounters', () => {
    const cpt = 'http://www.ama-assn.org/go/cpt';
    for (const code of ['99213', '98005', '98012', '98016', '98966', '99422', '98971']) {
      expect([code, t.inValueSet({ system: cpt, code }, 'clinical-evaluation-encounters')]).toEqual([code, true]);
    }
    expect(t.inValueSet({ system: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'G2252' }, 'clinical-evaluation-encounters')).toBe(true);
    expect(t.matchConcept({ coding: [{ system: cpt, code: '99381' }, { system: SCT, code: '185317003' }] }, 'clinical-evaluation-encounters')?.code).toBe('185317003');
  });

  it('marks codes that stay unverified in the data itself', () => {
    const notes = valueSets.flatMap((vs) =>
      (vs.compose?.include ?? []).flatMap((i) => (i.concept ?? []).filter((c) => c.extension?.some((e) => /UNVERIFIED/.test(e.valueString ?? ''))).map((c) => c.code)),
    );
    expect(notes).toEqual(expect.arrayContaining(['11449-6', '63895-7', '428850001']));
  });

  it('file names follow the kebab-case id convention', () => {
    for (const f of fs.readdirSync(path.join(ROOT, 'fhir-profiles'))) expect(f).toMatch(/^(ValueSet|CodeSystem|StructureDefinition)-[a-z0-9]+(-[a-z0-9]+)*\.json$/);
  });
});

describe('value-set membership through the reverse index', () => {
  /** Membership read straight from the ValueSet resources, independently of the terminology's indexes. */
  function reference(system: string, written: string, vsId: string): boolean {
    // ICD-10-CM is accepted without its dot (claims style): N179 is N17.9.
    const code = system === ICD && !written.includes('.') && written.length > 3 ? `${written.slice(0, 3)}.${written.slice(3)}` : written;
    const vs = valueSets.find((v) => v.id === vsId);
    return (vs?.compose?.include ?? []).some(
      (inc) =>
        inc.system === system &&
        ((inc.concept ?? []).some((c) => c.code === code) ||
          (inc.filter ?? []).some((f) => code === f.value || (code.startsWith(f.value) && (f.value.length !== 3 || code[3] === '.')))),
    );
  }

  it('answers every value set for every code exactly as the ValueSet resources say, asked one coding object at a time', () => {
    const ids = valueSets.map((v) => v.id ?? '');
    const codings = valueSets.flatMap((vs) =>
      (vs.compose?.include ?? []).flatMap((inc) => [
        ...(inc.concept ?? []).map((c) => ({ system: inc.system ?? '', code: c.code })),
        // children of is-a filters, with and without the dot, and the filter's own code
        ...(inc.filter ?? []).flatMap((f) => [`${f.value}.9`, `${f.value}9`, f.value].map((code) => ({ system: inc.system ?? '', code }))),
      ]),
    );
    expect(codings.length).toBeGreaterThan(200);
    const mismatches: string[] = [];
    for (const coding of codings) {
      // The same object asked about every value set (the memo), and a fresh copy for each (no memo).
      for (const id of ids) {
        const expected = reference(coding.system, coding.code, id);
        if (t.inValueSet(coding, id) !== expected || t.inValueSet({ ...coding }, id) !== expected) mismatches.push(`${coding.code} in ${id}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('reads a concept through any of its codings, and an unknown value set as no match', () => {
    const concept = { coding: [{ system: 'http://example.org/local', code: 'x' }, { system: ICD, code: 'N18.5' }] };
    expect(t.matchConcept(concept, 'renal-impairment-conditions')?.code).toBe('N18.5');
    expect(t.matchConcept(concept, 'dialysis')).toBeUndefined();
    expect(t.inValueSet({ system: ICD, code: 'N18.5' }, 'no-such-value-set')).toBe(false);
  });
});
