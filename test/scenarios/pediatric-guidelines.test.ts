import { ICD10, imagingOrder, patient } from '../support/fhir-builders';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** pediatric-guidelines (Preface-3.1): 18 or younger on the order date (orders are dated 2026-11-23). */
const visit = officeVisit('enc-1', '2026-11-16');
const headache = { reasonCode: [{ coding: [{ system: ICD10, code: 'R51.9', display: 'Headache, unspecified' }] }] };

describe.each(MODES)('pediatric-guidelines (%s)', (mode) => {
  it('informs on a CT head for a child, naming pediatric CT protocols and the sedation caution', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-ct', '70450', headache)], patient: patient({ birthDate: '2019-02-14' }), record: [visit] }, mode);
    const [card, ...rest] = r.cardsFor('pediatric-guidelines');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'guideline' } } });
    expect(card?.summary).toContain('patient is 7');
    expect(card?.detail).toMatch(/sedation/);
    expect(card?.detail).toContain('| Age on the order date (2026-11-23) | 7 years (born 2019-02-14) | 2026-11-23 | Patient/pat-1 |');
  });

  it('fires on the day before the 19th birthday and not on it (age computed on the order date)', async () => {
    const eighteen = await runScenario({ orders: [imagingOrder('sr-mr', '70551', headache)], patient: patient({ birthDate: '2007-11-24' }), record: [visit] }, mode);
    expect(eighteen.cardsFor('pediatric-guidelines')[0]?.summary).toContain('patient is 18; pediatric imaging guidelines apply');
    const nineteen = await runScenario({ orders: [imagingOrder('sr-mr', '70551', headache)], patient: patient({ birthDate: '2007-11-23' }), record: [visit] }, mode);
    expect(nineteen.cardsFor('pediatric-guidelines')).toEqual([]);
  });
});
