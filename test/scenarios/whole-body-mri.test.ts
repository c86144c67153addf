import { ICD10, SNOMED, condition, imagingOrder } from '../support/fhir-builders';
import { deletedIds, evidenceRows, reason } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const wbmri = (over = {}) => imagingOrder('sr-wb', '76498', { code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '76498' }], text: 'MRI whole body without contrast' }, ...over });

describe.each(MODES)('whole-body-mri (%s)', (mode) => {
  it('is critical for a whole-body MRI (76498 "whole body") for cancer screening with no qualifying condition, suggesting removal', async () => {
    const r = await runScenario({ orders: [wbmri({ reasonCode: reason('Z12.89', 'Encounter for screening for malignant neoplasm of other sites') })], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('whole-body-mri');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'critical', source: { topic: { code: 'coverage-info' } } });
    expect(card?.extension['imaging-cds']).toMatchObject({ section: 'Preface-5.2', orders: ['ServiceRequest/sr-wb'] });
    expect(evidenceRows(card)).toContainEqual({ what: 'Part of the whole-body MRI: MRI whole body without contrast', value: 'CPT 76498', date: '2026-11-23', record: 'ServiceRequest/sr-wb' });
    expect(deletedIds(card)).toEqual(['ServiceRequest/sr-wb']);
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['wbmri-qualifying-condition']);
  });

  it('is info naming the pediatric section when the record shows Li-Fraumeni syndrome', async () => {
    const r = await runScenario(
      { orders: [wbmri()], record: [condition('c-lfs', SNOMED, '428850001', 'Li-Fraumeni syndrome', { onsetDateTime: '2019-05-02' })], patient: { resourceType: 'Patient', id: 'pat-1', gender: 'male', birthDate: '2014-02-11' } },
      mode,
    );
    const card = r.cardsFor('whole-body-mri')[0];
    expect(card?.indicator).toBe('info');
    expect(card?.detail).toContain('PEDONC-2.2');
    expect(evidenceRows(card)[0]).toEqual({ what: 'Qualifying condition on the problem list', value: 'Li-Fraumeni syndrome (428850001)', date: '2019-05-02', record: 'Condition/c-lfs' });
    expect(card?.suggestions).toBeUndefined();
  });

  it('is a warning when the exception (NF1) is only the order reason, not on the record', async () => {
    const r = await runScenario({ orders: [wbmri({ reasonCode: reason('Q85.01', 'Neurofibromatosis, type 1') })], record: [] }, mode);
    const card = r.cardsFor('whole-body-mri')[0];
    expect(card?.indicator).toBe('warning');
    expect(evidenceRows(card)[0]).toMatchObject({ what: 'Qualifying condition stated as the reason', value: 'Neurofibromatosis, type 1 (Q85.01)', record: 'ServiceRequest/sr-wb' });
  });

  it('does not count a resolved CRMO, and recognises WBMRI ordered as separate chest/abdomen/pelvis/brain MRIs', async () => {
    const resolved = condition('c-crmo', ICD10, 'M86.30', 'Chronic multifocal osteomyelitis', { clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] } });
    const r = await runScenario({ orders: [imagingOrder('sr-1', '70551'), imagingOrder('sr-2', '71550'), imagingOrder('sr-3', '74181'), imagingOrder('sr-4', '72195')], record: [resolved] }, mode);
    const card = r.cardsFor('whole-body-mri')[0];
    expect(card?.indicator).toBe('critical');
    expect(card?.extension['imaging-cds'].orders).toEqual(['ServiceRequest/sr-1', 'ServiceRequest/sr-2', 'ServiceRequest/sr-3', 'ServiceRequest/sr-4']);
  });

  it('stays silent on 76498 for surgical navigation, on PET-MRI (78813 + 76498), and on a brain + whole-spine MRI work-up', async () => {
    const nav = await runScenario({ orders: [imagingOrder('sr-n', '76498', { code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '76498' }], text: 'MRI brain for stereotactic navigation' } })], record: [] }, mode);
    expect(nav.cardsFor('whole-body-mri')).toEqual([]);
    const petMri = await runScenario({ orders: [imagingOrder('sr-pet', '78813'), wbmri()], record: [] }, mode);
    expect(petMri.cardsFor('whole-body-mri')).toEqual([]);
    const neuro = await runScenario({ orders: [imagingOrder('sr-1', '70553'), imagingOrder('sr-2', '72141'), imagingOrder('sr-3', '72146'), imagingOrder('sr-4', '72148')], record: [] }, mode);
    expect(neuro.cardsFor('whole-body-mri')).toEqual([]);
  });
});
