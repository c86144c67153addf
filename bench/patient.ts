import type { Coverage, Encounter, FhirResource, ImagingStudy, Procedure, ServiceRequest } from 'fhir/r4';
import { CPT, ICD10, LOINC, PATIENT_ID, SNOMED, allergy, condition, device, imagingOrder, labObservation, patient } from '../test/support/fhir-builders';

/**
 * The benchmark's patient: a realistic chart for an adult ordering CT/MRI/PET: 20 active
 * problems, 50 lab results of which 12 are kidney function (eGFR, creatinine, BUN), 3 devices (one a
 * pacemaker), allergies (one to iodinated contrast), a year of imaging history and encounters. The
 * record is built so that the rules that exist have something to say (latest eGFR 28, a pacemaker),
 * because a call that produces cards costs more than one that does not.
 */
const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const daysAgo = (n: number): string => new Date(NOW - n * 86_400_000).toISOString();
const dayAgo = (n: number): string => daysAgo(n).slice(0, 10);
const subject = { reference: `Patient/${PATIENT_ID}` };

const PROBLEMS: readonly [string, string, string][] = [
  [ICD10, 'E11.9', 'Type 2 diabetes mellitus without complications'],
  [ICD10, 'I10', 'Essential (primary) hypertension'],
  [ICD10, 'N18.4', 'Chronic kidney disease, stage 4 (severe)'],
  [ICD10, 'E78.5', 'Hyperlipidemia, unspecified'],
  [ICD10, 'I25.10', 'Atherosclerotic heart disease of native coronary artery'],
  [ICD10, 'I48.91', 'Unspecified atrial fibrillation'],
  [ICD10, 'M54.50', 'Low back pain, unspecified'],
  [ICD10, 'M51.36', 'Other intervertebral disc degeneration, lumbar region'],
  [ICD10, 'K57.30', 'Diverticulosis of large intestine without perforation or abscess'],
  [ICD10, 'R10.9', 'Unspecified abdominal pain'],
  [ICD10, 'C34.90', 'Malignant neoplasm of unspecified part of unspecified bronchus or lung'],
  [ICD10, 'J44.9', 'Chronic obstructive pulmonary disease, unspecified'],
  [ICD10, 'E03.9', 'Hypothyroidism, unspecified'],
  [ICD10, 'F32.A', 'Depression, unspecified'],
  [ICD10, 'G47.33', 'Obstructive sleep apnea'],
  [ICD10, 'D63.1', 'Anemia in chronic kidney disease'],
  [ICD10, 'M17.11', 'Unilateral primary osteoarthritis, right knee'],
  [ICD10, 'K21.9', 'Gastro-esophageal reflux disease without esophagitis'],
  [SNOMED, '49436004', 'Atrial fibrillation'],
  [ICD10, 'Z95.0', 'Presence of cardiac pacemaker'],
];

/** [LOINC, display, unit, value for the i-th result] for the non-renal panels (BMP, CBC, A1c, lipids). */
const OTHER_LABS: readonly [string, string, string, (i: number) => number][] = [
  ['2345-7', 'Glucose', 'mg/dL', (i) => 120 + i * 7],
  ['2951-2', 'Sodium', 'mmol/L', (i) => 137 + (i % 3)],
  ['2823-3', 'Potassium', 'mmol/L', (i) => 4.6 + (i % 4) / 10],
  ['2075-0', 'Chloride', 'mmol/L', (i) => 101 + (i % 2)],
  ['2028-9', 'CO2', 'mmol/L', (i) => 22 + (i % 3)],
  ['718-7', 'Hemoglobin', 'g/dL', (i) => 10.4 + i / 10],
  ['6690-2', 'Leukocytes', '10*3/uL', (i) => 6.1 + i / 10],
  ['777-3', 'Platelets', '10*3/uL', (i) => 210 + i * 5],
  ['4548-4', 'Hemoglobin A1c', '%', (i) => 7.1 + i / 10],
  ['2093-3', 'Cholesterol', 'mg/dL', (i) => 180 + i * 4],
  ['17861-6', 'Calcium', 'mg/dL', (i) => 9.1 + i / 10],
  ['1751-7', 'Albumin', 'g/dL', (i) => 3.6 + i / 10],
  ['2885-2', 'Protein', 'g/dL', (i) => 6.8 + i / 10],
  ['1920-8', 'AST', 'U/L', (i) => 24 + i],
  ['1742-6', 'ALT', 'U/L', (i) => 21 + i],
  ['6768-6', 'Alkaline phosphatase', 'U/L', (i) => 88 + i],
  ['1975-2', 'Bilirubin', 'mg/dL', (i) => 0.6 + i / 10],
  ['2777-1', 'Phosphate', 'mg/dL', (i) => 4.1 + i / 10],
  ['19123-9', 'Magnesium', 'mg/dL', (i) => 1.9 + i / 10],
];

function labs(): FhirResource[] {
  const out: FhirResource[] = [];
  // Kidney function every two months for a year: eGFR falling to 28, creatinine rising (flagged by range).
  for (let i = 0; i < 6; i += 1) {
    const d = dayAgo(10 + i * 60);
    out.push(labObservation(`egfr-${i}`, '98979-8', 28 + i * 4, 'mL/min/{1.73_m2}', d));
    out.push(
      labObservation(`cr-${i}`, '2160-0', 2.3 - i * 0.15, 'mg/dL', d, {
        referenceRange: [{ low: { value: 0.6, unit: 'mg/dL', code: 'mg/dL' }, high: { value: 1.2, unit: 'mg/dL', code: 'mg/dL' } }],
      }),
    );
  }
  for (let i = 0; i < 4; i += 1) out.push(labObservation(`bun-${i}`, '3094-0', 38 - i * 3, 'mg/dL', dayAgo(10 + i * 90)));
  // 34 more results across the other panels, spread over the year.
  for (let i = 0; out.length < 50; i += 1) {
    const [code, display, unit, value] = OTHER_LABS[i % OTHER_LABS.length] ?? OTHER_LABS[0]!;
    const round = Math.floor(i / OTHER_LABS.length);
    out.push(labObservation(`lab-${i}`, code, Math.round(value(round) * 10) / 10, unit, dayAgo(10 + round * 120 + (i % 7)), { code: { coding: [{ system: LOINC, code, display }] } }));
  }
  return out;
}

/** Prior imaging over the last year (ImagingStudy, the Procedure and the completed order for each). */
const HISTORY: readonly [string, string, string, number][] = [
  ['71250', 'CT', 'CT chest without contrast', 350],
  ['74176', 'CT', 'CT abdomen and pelvis without contrast', 300],
  ['72148', 'MR', 'MRI lumbar spine without contrast', 260],
  ['71250', 'CT', 'CT chest without contrast', 200],
  ['78815', 'PT', 'PET/CT skull base to mid-thigh', 150],
  ['70450', 'CT', 'CT head without contrast', 90],
  ['71250', 'CT', 'CT chest without contrast', 45],
  ['76700', 'US', 'Ultrasound abdomen complete', 20],
];

function imagingHistory(): FhirResource[] {
  return HISTORY.flatMap(([cpt, modality, text, ago], i): FhirResource[] => {
    const code = { coding: [{ system: CPT, code: cpt, display: text }], text };
    const order: ServiceRequest = { ...imagingOrder(`prior-sr-${i}`, cpt), status: 'completed', code, authoredOn: daysAgo(ago + 3) };
    const study: ImagingStudy = {
      resourceType: 'ImagingStudy',
      id: `prior-is-${i}`,
      status: 'available',
      subject,
      started: daysAgo(ago),
      basedOn: [{ reference: `ServiceRequest/prior-sr-${i}` }],
      modality: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: modality }],
      procedureCode: [code],
      numberOfSeries: 3,
      numberOfInstances: 240 + i * 10,
      description: text,
    };
    const procedure: Procedure = { resourceType: 'Procedure', id: `prior-proc-${i}`, status: 'completed', subject, code, performedDateTime: daysAgo(ago), basedOn: [{ reference: `ServiceRequest/prior-sr-${i}` }] };
    return [order, study, procedure];
  });
}

function encounters(): Encounter[] {
  return Array.from({ length: 14 }, (_, i): Encounter => {
    const start = daysAgo(5 + i * 26);
    return {
      resourceType: 'Encounter',
      id: `enc-${i}`,
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: i % 5 === 0 ? 'EMER' : 'AMB' },
      type: [{ coding: [{ system: SNOMED, code: '185349003', display: 'Encounter for check up' }] }],
      subject,
      period: { start, end: new Date(Date.parse(start) + 3_600_000).toISOString() },
      reasonCode: [{ coding: [{ system: ICD10, code: PROBLEMS[i % PROBLEMS.length]?.[1] ?? 'R10.9' }] }],
    };
  });
}

const coverage: Coverage = {
  resourceType: 'Coverage',
  id: 'cov-1',
  status: 'active',
  beneficiary: subject,
  payor: [{ display: 'Cigna' }],
  class: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] }, value: 'OAP' }],
};

/** Everything in the EHR for the bench patient. */
export function benchRecord(): FhirResource[] {
  return [
    patient({ birthDate: '1956-07-14' }),
    ...PROBLEMS.map(([system, code, display], i) => condition(`cond-${i}`, system, code, display, { recordedDate: dayAgo(400 - i * 15) })),
    ...labs(),
    device('dev-pacer', '14106009', 'Cardiac pacemaker', { manufacturer: 'Medtronic', modelNumber: 'Azure XT DR' }),
    device('dev-stent', '705643001', 'Coronary artery stent'),
    device('dev-cpap', '702172008', 'Home continuous positive airway pressure unit'),
    allergy('alg-contrast', SNOMED, '293637006', 'Allergy to iodinated contrast media'),
    allergy('alg-pcn', SNOMED, '91936005', 'Allergy to penicillin'),
    allergy('alg-latex', SNOMED, '300916003', 'Latex allergy'),
    ...imagingHistory(),
    ...encounters(),
    coverage,
  ];
}

/** The order-sign draft: CT abdomen/pelvis with contrast, MRI lumbar spine, PET/CT, CT chest with contrast. */
export function benchOrders(): ServiceRequest[] {
  const order = (id: string, cpt: string, text: string, reason: [string, string]): ServiceRequest =>
    imagingOrder(id, cpt, { code: { coding: [{ system: CPT, code: cpt }], text }, reasonCode: [{ coding: [{ system: ICD10, code: reason[0], display: reason[1] }] }] });
  return [
    order('sr-ct-ap', '74177', 'CT abdomen and pelvis with contrast', ['R10.9', 'Unspecified abdominal pain']),
    order('sr-mr-ls', '72148', 'MRI lumbar spine without contrast', ['M54.50', 'Low back pain, unspecified']),
    order('sr-petct', '78815', 'PET/CT skull base to mid-thigh', ['C34.90', 'Malignant neoplasm of lung']),
    order('sr-ct-chest', '71260', 'CT chest with contrast', ['C34.90', 'Malignant neoplasm of lung']),
  ];
}
