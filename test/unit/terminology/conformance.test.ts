import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers';

interface Concept { code: string; display?: string; definition?: string }
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'fhir-profiles', f), 'utf8')) as Record<string, unknown>;
const RULES_MD = path.join(ROOT, 'docs', 'rules.md');

describe('imaging-cds-rules CodeSystem', () => {
  const cs = read('CodeSystem-imaging-cds-rules.json');
  const concepts = cs.concept as Concept[];

  it('is complete with one concept per rule code (32 rules + evaluation-incomplete)', () => {
    expect(cs.url).toBe('http://imaging-cds.org/fhir/CodeSystem/imaging-cds-rules');
    expect(cs.content).toBe('complete');
    expect(concepts).toHaveLength(33);
    expect(cs.count).toBe(33);
    expect(new Set(concepts.map((c) => c.code)).size).toBe(33);
    expect(concepts.map((c) => c.code)).toContain('evaluation-incomplete');
  });

  it('matches the first column of docs/rules.md exactly, in order', () => {
    const codes = [...fs.readFileSync(RULES_MD, 'utf8').matchAll(/^\| `([a-z0-9-]+)`/gm)].map((m) => m[1]);
    expect(concepts.map((c) => c.code)).toEqual(codes);
  });

  it('gives every rule a display and a definition naming its guideline section', () => {
    const withoutSection = concepts.filter((c) => !/Preface-\d|no guideline section|mandate/.test(c.definition ?? ''));
    expect(withoutSection.map((c) => c.code)).toEqual([]);
    expect(concepts.every((c) => (c.display ?? '').length > 3)).toBe(true);
  });
});

describe('override-reason CodeSystem', () => {
  const cs = read('CodeSystem-override-reasons.json');
  const codes = (cs.concept as Concept[]).map((c) => c.code);
  it('has the reasons the guideline names', () => {
    expect(cs.url).toBe('http://imaging-cds.org/fhir/CodeSystem/override-reason');
    expect(codes).toEqual(
      expect.arrayContaining([
        'characterize-mass', 'arterial-venous-anatomy', 'condition-guideline-supports', 'disease-progression', 'recurrence',
        'change-in-management', 'prior-study-inadequate', 'scheduled-follow-up', 'pet-mri-condition-criteria',
        'pet-ct-criteria-met', 'pet-ct-unavailable', 'pet-mri-in-lieu', 'completion-study', 'need-outweighs-risk',
        'mri-conditional-cleared', 'clinically-required',
      ]),
    );
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('imaging ServiceRequest profile', () => {
  const sd = read('StructureDefinition-imaging-service-request.json');
  it('is a differential-only constraint on R4 ServiceRequest documenting the fields the service reads', () => {
    expect(sd).toMatchObject({
      url: 'http://imaging-cds.org/fhir/StructureDefinition/imaging-service-request',
      type: 'ServiceRequest',
      derivation: 'constraint',
      fhirVersion: '4.0.1',
      baseDefinition: 'http://hl7.org/fhir/StructureDefinition/ServiceRequest',
    });
    expect(sd.snapshot).toBeUndefined();
    const paths = (sd.differential as { element: { path: string }[] }).element.map((e) => e.path);
    for (const p of ['code', 'reasonCode', 'reasonReference', 'bodySite', 'subject', 'authoredOn', 'occurrence[x]', 'status', 'intent']) {
      expect(paths).toContain(`ServiceRequest.${p}`);
    }
  });
});
