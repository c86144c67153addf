import { replaceStudy } from '../../../src/cards/suggestions';
import { serviceParts } from '../../helpers/test-app';
import { imagingOrder } from '../../support/fhir-builders';

describe('replaceStudy', () => {
  const terminology = serviceParts().terminology;

  it('returns the draft order with only its code replaced, and leaves the draft order itself untouched', () => {
    const draft = imagingOrder('sr-ct', '74177', { code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '74177' }, { system: 'http://loinc.org', code: '36813-4' }], text: 'CT A/P w contrast' } });
    const before = JSON.parse(JSON.stringify(draft)) as unknown;
    const without = terminology.study('74176');
    if (without === undefined) throw new Error('74176 missing from the catalog');

    const updated = replaceStudy(draft, without);

    expect(updated.code).toEqual({ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '74176', display: without.label }], text: without.label });
    const { code: _new, ...rest } = updated;
    const { code: _old, ...draftRest } = draft;
    expect(rest).toEqual(draftRest);
    expect(draft).toEqual(before);
  });
});
