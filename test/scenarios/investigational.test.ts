import { imagingOrder } from '../support/fhir-builders';
import { deletedIds, evidenceRows, overrideCodes } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';

describe.each(MODES)('investigational (%s)', (mode) => {
  it('is critical on quantitative MR analysis 0648T and suggests removing the order', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-q', '0648T')], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('investigational');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'critical', source: { topic: { code: 'coverage-info' } } });
    expect(card?.summary).toContain('0648T');
    expect(evidenceRows(card)[0]).toMatchObject({ value: 'CPT 0648T', date: '2026-11-23', record: 'ServiceRequest/sr-q' });
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-q']);
    expect(overrideCodes(card)).toEqual([]);
  });

  it('fires on brain volumetry 0866T and on xenon MRI C9791 (HCPCS)', async () => {
    const vol = await runScenario({ orders: [imagingOrder('sr-v', '0866T')], record: [] }, mode);
    expect(vol.cardsFor('investigational')).toHaveLength(1);
    const xe = await runScenario({ orders: [imagingOrder('sr-x', 'C9791', { code: { coding: [{ system: HCPCS, code: 'C9791' }] } })], record: [] }, mode);
    expect(evidenceRows(xe.cardsFor('investigational')[0])[0]).toMatchObject({ value: 'HCPCS C9791' });
  });

  it('stays silent on a routine brain MRI', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-m', '70551')], record: [] }, mode);
    expect(r.cardsFor('investigational')).toEqual([]);
  });
});
