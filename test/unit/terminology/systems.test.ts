import { SYSTEM, canonicalSystem, isNormalCode, normaliseCode } from '../../../src/terminology/systems';
import { ICD, SCT, realTerminology } from './helpers';

describe('code-system URIs and aliases', () => {
  it.each([
    ['urn:oid:2.16.840.1.113883.6.12', SYSTEM.cpt],
    ['http://www.ama-assn.org/go/cpt/', SYSTEM.cpt],
    ['https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', SYSTEM.hcpcs],
    ['HTTPS://WWW.CMS.GOV/Medicare/Coding/HCPCSReleaseCodeSets', SYSTEM.hcpcs],
    ['urn:oid:2.16.840.1.113883.6.285', SYSTEM.hcpcs],
    ['urn:oid:2.16.840.1.113883.6.90', SYSTEM.icd10cm],
    ['urn:oid:2.16.840.1.113883.6.1', SYSTEM.loinc],
    ['urn:oid:2.16.840.1.113883.6.96', SYSTEM.snomed],
    ['http://snomed.info/sct/731000124108', SYSTEM.snomed],
    ['urn:oid:2.16.840.1.113883.3.26.1.1', SYSTEM.nciThesaurus],
  ])('%s -> %s', (alias, canonical) => {
    expect(canonicalSystem(alias)).toBe(canonical);
  });

  it('leaves unknown systems (and WHO ICD-10) as they are', () => {
    expect(canonicalSystem('http://hl7.org/fhir/sid/icd-10')).toBe('http://hl7.org/fhir/sid/icd-10');
    expect(canonicalSystem('http://example.org/local')).toBe('http://example.org/local');
    expect(canonicalSystem(undefined)).toBeUndefined();
  });

  it('accepts ICD-10-CM with or without the dot and in lower case', () => {
    expect(normaliseCode(SYSTEM.icd10cm, 'z950')).toBe('Z95.0');
    expect(normaliseCode(SYSTEM.icd10cm, 'Z95.810')).toBe('Z95.810');
    expect(normaliseCode(SYSTEM.icd10cm, 'N184')).toBe('N18.4');
    expect(normaliseCode(SYSTEM.loinc, ' 2160-0 ')).toBe('2160-0');
  });
});

describe('orders coded in any recognised system', () => {
  const t = realTerminology();

  it('resolves a CPT order given with the urn:oid alias', () => {
    expect(t.lookupOrder([{ system: 'urn:oid:2.16.840.1.113883.6.12', code: '70553' }])?.contrast).toBe('without-and-with');
  });

  it('resolves an HCPCS order given with the https URI and the OID', () => {
    for (const system of ['https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', 'urn:oid:2.16.840.1.113883.6.285']) {
      expect(t.lookupOrder([{ system, code: 'c8931' }])?.code).toBe('72159');
    }
  });

  it('resolves LOINC Playbook and SNOMED CT orders through codeMappings', () => {
    const mra = t.lookupOrder([{ system: 'http://loinc.org', code: '36801-9' }]);
    expect(mra).toMatchObject({ code: '73725', modality: 'MRA', region: 'lower_extremity', laterality: 'right' });
    expect(mra?.orderedAs).toEqual({ system: 'http://loinc.org', code: '36801-9' });
    expect(t.lookupOrder([{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '30657-1' }])?.code).toBe('70551');
    // SNOMED "CT of head" does not say contrast: the study keeps region and modality, contrast is open
    expect(t.lookupOrder([{ system: SCT, code: '303653007' }])).toMatchObject({ modality: 'CT', region: 'head', contrast: 'with-or-without' });
  });

  it('prefers CPT/HCPCS over a mapped code in the same order, and leaves unknown codes alone', () => {
    expect(t.lookupOrder([{ system: 'http://loinc.org', code: '30657-1' }, { system: SYSTEM.cpt, code: '70553' }])?.code).toBe('70553');
    expect(t.lookupOrder([{ system: 'http://loinc.org', code: '24558-9' }])).toBeUndefined(); // US abdomen: not in scope
    expect(t.lookupOrder([{ system: SYSTEM.cpt, code: '99999' }])).toBeUndefined();
    expect(t.lookupOrder([{ system: 'http://example.org', code: '70553' }])).toBeUndefined();
    expect(t.lookupOrder(undefined)).toBeUndefined();
  });

  it('matches ICD-10-CM value-set members with and without the dot, and is-a filters by prefix', () => {
    expect(t.inValueSet({ system: ICD, code: 'Z95.0' }, 'mri-contraindicated-conditions')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'Z950' }, 'mri-contraindicated-conditions')).toBe(true);
    expect(t.inValueSet({ system: 'urn:oid:2.16.840.1.113883.6.90', code: 'E1165' }, 'diabetes')).toBe(true); // is-a E11
    expect(t.inValueSet({ system: ICD, code: 'E11' }, 'diabetes')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'E12.9' }, 'diabetes')).toBe(false); // E12 does not exist
    expect(t.inValueSet({ system: ICD, code: 'E110' }, 'diabetes')).toBe(true);
    expect(t.inValueSet({ system: ICD, code: 'H44.611' }, 'mri-contraindicated-conditions')).toBe(true); // is-a H44.6
    expect(t.inValueSet({ system: ICD, code: 'H44.711' }, 'mri-contraindicated-conditions')).toBe(false); // nonmagnetic
  });

  it('reads MR safety codes in the FHIR core OID form of the NCI Thesaurus', () => {
    expect(t.inValueSet({ system: 'urn:oid:2.16.840.1.113883.3.26.1.1', code: 'C106047' }, 'mr-safety-unsafe')).toBe(true);
    expect(t.inValueSet({ system: 'urn:oid:2.16.840.1.113883.3.26.1.1', code: 'C106046' }, 'mr-safety-conditional')).toBe(true);
    // C113844 = labelling lacks MRI safety information, NOT conditional
    expect(t.inValueSet({ system: 'urn:oid:2.16.840.1.113883.3.26.1.1', code: 'C113844' }, 'mr-safety-conditional')).toBe(false);
  });
});

describe('isNormalCode', () => {
  it('says whether normaliseCode would change a code, for every system it treats differently', () => {
    const cases: [string, string][] = [
      [SYSTEM.icd10cm, 'N18.4'], [SYSTEM.icd10cm, 'n18.4'], [SYSTEM.icd10cm, 'N184'], [SYSTEM.icd10cm, 'N18'], [SYSTEM.icd10cm, ' N18.4'],
      [SYSTEM.icd10cm, 'Z3A.20'], [SYSTEM.cpt, '74177'], [SYSTEM.cpt, '0042t'], [SYSTEM.hcpcs, 'C8931'], [SYSTEM.hcpcs, 'c8931 '],
      [SYSTEM.loinc, '98979-8'], [SYSTEM.loinc, '98979-8\t'], [SYSTEM.snomed, '431855005'], ['http://example.org/local', 'abc'], [SYSTEM.cpt, ''],
    ];
    for (const [system, code] of cases) expect([system, code, isNormalCode(system, code)]).toEqual([system, code, normaliseCode(system, code) === code]);
  });
});
