import type { FhirResource, ServiceRequest } from 'fhir/r4';
import { ICD10, condition, device, imagingOrder, labObservation, patient } from '../support/fhir-builders';
import { imagingStudy, officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';
import type { Scenario } from '../helpers/scenario';

/**
 * Realistic, guideline-conformant orders: no rule may raise a warning or critical card
 * (info cards are allowed: they never ask for a change). Guards against rules that fire on every order.
 */
const why = (code: string, display: string): Partial<ServiceRequest> => ({ reasonCode: [{ coding: [{ system: ICD10, code, display }] }] });

const CLEAN: readonly (readonly [string, Scenario])[] = [
  [
    'MRI lumbar spine without contrast after 6 weeks of radiculopathy, with radiographs and an office visit',
    {
      orders: [imagingOrder('sr-mr', '72148', why('M54.16', 'Radiculopathy, lumbar region'))],
      record: [
        condition('c-rad', ICD10, 'M54.16', 'Radiculopathy, lumbar region', { onsetDateTime: '2026-10-12' }),
        imagingStudy('xr-ls', '72110', '2026-10-20'),
        officeVisit('enc-1', '2026-11-16'),
      ],
    },
  ],
  [
    'CT chest with contrast for a known lung mass in a 60-year-old with normal eGFR',
    {
      orders: [imagingOrder('sr-ct', '71260', why('R91.8', 'Other nonspecific abnormal finding of lung field'))],
      patient: patient({ birthDate: '1966-05-20' }),
      record: [labObservation('egfr', '98979-8', 78, 'mL/min/{1.73_m2}', '2026-11-10'), officeVisit('enc-1', '2026-11-12'), imagingStudy('xr-chest', '71046', '2026-11-05')],
    },
  ],
  [
    'MRI brain without and with contrast to follow a meningioma, last MRI seven months ago',
    {
      orders: [imagingOrder('sr-mr', '70553', why('D32.0', 'Benign neoplasm of cerebral meninges'))],
      record: [imagingStudy('is-mr', '70553', '2026-04-20'), officeVisit('enc-1', '2026-11-02')],
    },
  ],
  [
    'PET/CT skull base to mid-thigh to stage a newly diagnosed lung cancer',
    {
      orders: [imagingOrder('sr-pet', '78815', why('C34.11', 'Malignant neoplasm of upper lobe, right bronchus or lung'))],
      record: [condition('c-ca', ICD10, 'C34.11', 'Malignant neoplasm of upper lobe, right bronchus or lung', { onsetDateTime: '2026-11-01' }), officeVisit('enc-1', '2026-11-18')],
    },
  ],
  [
    'order-select of a knee MRI without contrast after knee radiographs, for an adult with a hip replacement on the other side',
    {
      hook: 'order-select',
      orders: [imagingOrder('sr-mr', '73721', why('M23.221', 'Derangement of posterior horn of medial meniscus, right knee'))],
      record: [imagingStudy('xr-knee', '73562', '2026-10-30'), officeVisit('enc-1', '2026-11-09'), device('dev-thr', '304120007', 'Total hip replacement prosthesis')] as FhirResource[],
    },
  ],
];

describe.each(MODES)('clean orders (%s)', (mode) => {
  it.each(CLEAN)('%s: no warning or critical card from any rule', async (_name, scenario) => {
    const r = await runScenario(scenario, mode);
    const actionable = r.response.cards.filter((c) => c.indicator !== 'info').map((c) => `${c.extension['imaging-cds'].rule}: ${c.summary}`);
    expect(actionable).toEqual([]);
  });
});
