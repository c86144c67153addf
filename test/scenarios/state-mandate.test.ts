import { ICD10, condition, imagingOrder, patient } from '../support/fhir-builders';
import { evidenceRows } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const texan = patient({ address: [{ use: 'home', line: ['1 Main St'], city: 'Austin', state: 'TX', postalCode: '78701' }] });

describe.each(MODES)('state-mandate (%s)', (mode) => {
  it('is info on a coronary calcium CT (75571) for a Texas resident', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-cac', '75571')], record: [], patient: texan }, mode);
    const [card, ...rest] = r.cardsFor('state-mandate');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'coverage-info' } } });
    expect(card?.summary).toContain('HB 1290');
    expect(evidenceRows(card)[1]).toMatchObject({ what: 'Patient address', value: 'Austin, TX', record: 'Patient/pat-1' });
  });

  it('is info on supplemental breast MRI when dense breast tissue is on the record', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-b', '77049')], record: [condition('c-dense', ICD10, 'R92.333', 'Mammographic heterogeneous density, bilateral breasts', { onsetDateTime: '2026-06-01' })] }, mode);
    const card = r.cardsFor('state-mandate')[0];
    expect(card?.summary).toContain('breast density');
    expect(evidenceRows(card)[0]).toEqual({ what: 'Dense breast tissue on the problem list', value: 'Mammographic heterogeneous density, bilateral breasts (R92.333)', date: '2026-06-01', record: 'Condition/c-dense' });
  });

  it('stays silent for a former Texas address, an Ohio resident, a refuted density finding, and other studies', async () => {
    const moved = patient({ address: [{ use: 'old', state: 'TX' }, { use: 'home', state: 'OH', city: 'Columbus' }] });
    const r1 = await runScenario({ orders: [imagingOrder('sr-cac', '75571')], record: [], patient: moved }, mode);
    expect(r1.cardsFor('state-mandate')).toEqual([]);
    const refuted = condition('c-dense', ICD10, 'R92.333', 'Dense breasts', {
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'refuted' }] },
    });
    const r2 = await runScenario({ orders: [imagingOrder('sr-b', '77049')], record: [refuted] }, mode);
    expect(r2.cardsFor('state-mandate')).toEqual([]);
    const r3 = await runScenario({ orders: [imagingOrder('sr-ct', '71250')], record: [], patient: texan }, mode);
    expect(r3.cardsFor('state-mandate')).toEqual([]);
  });
});
