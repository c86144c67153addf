import { imagingOrder } from '../support/fhir-builders';
import { evidenceRows } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const HCPCS = 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets';

describe.each(MODES)('hcpcs-redirect (%s)', (mode) => {
  it('warns on the non-specific S8042 (low-field MRI) and asks for the specific CPT code', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-s', 'S8042', { code: { coding: [{ system: HCPCS, code: 'S8042' }], text: 'Open MRI' } })], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('hcpcs-redirect');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'claim' } } });
    expect(card?.summary).toContain('S8042');
    expect(evidenceRows(card)[0]).toMatchObject({ value: 'HCPCS S8042', record: 'ServiceRequest/sr-s' });
    expect(card?.suggestions).toBeUndefined();
  });

  it('stays silent on an HCPCS code with a CPT twin (C8931 ~ 72159), which is evaluated as the CPT code', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-c', 'C8931', { code: { coding: [{ system: HCPCS, code: 'C8931' }] } })], record: [] }, mode);
    expect(r.cardsFor('hcpcs-redirect')).toEqual([]);
  });
});
