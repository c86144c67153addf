import type { ServiceRequest } from 'fhir/r4';
import { ICD10, condition, imagingOrder } from '../support/fhir-builders';
import { officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** mri-breast-vs-chest (Preface-3.1): judged on the order's own indication. */
const visit = officeVisit('enc-1', '2026-11-16');
const why = (code: string, display: string) => ({ reasonCode: [{ coding: [{ system: ICD10, code, display }] }] });

describe.each(MODES)('mri-breast-vs-chest (%s)', (mode) => {
  it('warns on a chest MRI ordered for a breast lump and suggests the bilateral breast MRI with matched contrast', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '71552', why('N63.10', 'Unspecified lump in the right breast, unspecified quadrant'))], record: [visit] }, mode);
    const [card, ...rest] = r.cardsFor('mri-breast-vs-chest');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'off-guideline' } } });
    expect(card?.summary).toMatch(/chest MRI ordered for a breast indication/);
    expect(card?.detail).toContain('| Breast indication on the order | Unspecified lump in the right breast, unspecified quadrant (N63.10) |  | ServiceRequest/sr-mr |');
    expect((card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest).code?.coding?.[0]?.code).toBe('77049');
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['clinically-required']);
  });

  it('warns on a breast MRI whose reasonReference is a mediastinal mass and suggests MRI chest', async () => {
    const mass = condition('c-med', ICD10, 'J98.59', 'Other diseases of mediastinum, not elsewhere classified', { onsetDateTime: '2026-10-30' });
    const { reasonCode: _coded, ...byReference } = imagingOrder('sr-mr', '77047', { reasonReference: [{ reference: 'Condition/c-med' }] });
    const r = await runScenario({ orders: [byReference], record: [visit, mass] }, mode);
    const card = r.cardsFor('mri-breast-vs-chest')[0];
    expect(card?.detail).toContain('Condition/c-med');
    expect((card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest).code?.coding?.[0]?.code).toBe('71550');
  });

  it('is silent on a breast MRI for a breast indication, and on a chest MRI for a mediastinal mass even with breast cancer on the problem list', async () => {
    const ok = await runScenario({ orders: [imagingOrder('sr-mr', '77049', why('C50.911', 'Malignant neoplasm of unspecified site of right female breast'))], record: [visit] }, mode);
    expect(ok.cardsFor('mri-breast-vs-chest')).toEqual([]);
    const chest = await runScenario(
      { orders: [imagingOrder('sr-mr', '71552', why('J98.59', 'Other diseases of mediastinum'))], record: [visit, condition('c-bc', ICD10, 'C50.911', 'Malignant neoplasm of right female breast')] },
      mode,
    );
    expect(chest.cardsFor('mri-breast-vs-chest')).toEqual([]);
  });
});
