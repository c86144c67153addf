import { ICD10, condition, device, imagingOrder } from '../support/fhir-builders';
import { imagingStudy, officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

/** mri-metal-artifact (Preface-3.1): info when a non-magnetic orthopaedic implant is in the scanned region. */
const record = [officeVisit('enc-1', '2026-11-16'), imagingStudy('xr-hip', '73502', '2026-11-02')];
const hipPain = { reasonCode: [{ coding: [{ system: ICD10, code: 'M25.551', display: 'Pain in right hip' }] }] };

describe.each(MODES)('mri-metal-artifact (%s)', (mode) => {
  it('informs on a hip MRI for a patient with a total hip replacement Device, and is not a contraindication', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '73721', hipPain)], record: [...record, device('dev-thr', '304120007', 'Total hip replacement prosthesis')] }, mode);
    const [card, ...rest] = r.cardsFor('mri-metal-artifact');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { topic: { code: 'guideline' } } });
    expect(card?.detail).toContain('| Non-magnetic orthopaedic implant | Total hip replacement prosthesis (304120007) |  | Device/dev-thr |');
    expect(r.cardsFor('mri-device')).toEqual([]);
  });

  it('reads the implant as a status condition (Z96.641 presence of right artificial hip joint) for a pelvis MRI', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '72195', hipPain)], record: [...record, condition('c-hip', ICD10, 'Z96.641', 'Presence of right artificial hip joint', { onsetDateTime: '2021-04-12' })] }, mode);
    expect(r.cardsFor('mri-metal-artifact')[0]?.detail).toContain('| Orthopaedic implant status | Presence of right artificial hip joint (Z96.641) | 2021-04-12 | Condition/c-hip |');
  });

  it('is silent for an implant in another region, an inactive implant, and CT', async () => {
    const brain = await runScenario({ orders: [imagingOrder('sr-mr', '70551', { reasonCode: [{ coding: [{ system: ICD10, code: 'R51.9', display: 'Headache' }] }] })], record: [...record, device('dev-thr', '304120007', 'Total hip replacement prosthesis')] }, mode);
    expect(brain.cardsFor('mri-metal-artifact')).toEqual([]);
    const inactive = await runScenario({ orders: [imagingOrder('sr-mr', '73721', hipPain)], record: [...record, device('dev-old', '304120007', 'Total hip replacement prosthesis', { status: 'inactive' })] }, mode);
    expect(inactive.cardsFor('mri-metal-artifact')).toEqual([]);
    const ct = await runScenario({ orders: [imagingOrder('sr-ct', '73700', hipPain)], record: [...record, device('dev-thr', '304120007', 'Total hip replacement prosthesis')] }, mode);
    expect(ct.cardsFor('mri-metal-artifact')).toEqual([]);
  });
});
