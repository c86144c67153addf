import fs from 'node:fs';
import path from 'node:path';
import type { ValueSet } from 'fhir/r4';
import { serviceParts } from '../../helpers/test-app';

/**
 * What the service asks the EHR for is exactly what its rules read: the LOINC codes of the lab prefetch
 * templates equal the LOINC members of the value sets the lab rules use (a code missing from the template
 * would never be fetched; an extra one would be fetched for nothing).
 */
const loincOf = (...ids: string[]): Set<string> =>
  new Set(
    ids.flatMap((id) => {
      const vs = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'fhir-profiles', `ValueSet-${id}.json`), 'utf8')) as ValueSet;
      return (vs.compose?.include ?? []).filter((i) => i.system === 'http://loinc.org').flatMap((i) => (i.concept ?? []).map((c) => c.code));
    }),
  );
const templateCodes = (template: string): Set<string> => new Set([...template.matchAll(/http:\/\/loinc\.org\|([0-9-]+)/g)].map((m) => m[1] ?? ''));

describe.each(['imaging-order-select', 'imaging-order-sign'])('%s prefetch templates', (id) => {
  const service = serviceParts().content.services.get(id)!;
  it('renalLabs asks for exactly the eGFR, creatinine and BUN codes', () => {
    expect(templateCodes(service.prefetch.renalLabs)).toEqual(loincOf('egfr-observations', 'creatinine-observations', 'bun-observations'));
  });
  it('pregnancyObservations asks for exactly the pregnancy status, hCG and breastfeeding codes', () => {
    expect(templateCodes(service.prefetch.pregnancyObservations)).toEqual(loincOf('pregnancy-status-observations', 'hcg-tests', 'lactation'));
  });
  it('both services ask for the same data', () => {
    expect(serviceParts().content.services.get('imaging-order-select')!.prefetch).toEqual(serviceParts().content.services.get('imaging-order-sign')!.prefetch);
  });
});
