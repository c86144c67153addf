import request from 'supertest';
import { CPT, ICD10, condition, hookRequest, imagingOrder, searchset } from '../support/fhir-builders';
import { MODES, runScenario } from '../helpers/scenario';
import { createTestApp } from '../helpers/test-app';
import { FhirReadError } from '../../src/fhir/fhir-reader';

/** The whole-body, coding and benefit rules (docs/rules.md: Preface-5, Preface-4, Preface-2). */
const WHOLE_BODY_CODING_BENEFIT_RULES = [
  'whole-body-ct-screening',
  'whole-body-ct-myeloma',
  'whole-body-mri',
  'whole-body-mri-coding',
  'pet-mri',
  '3d-rendering',
  'limited-ct',
  'breast-mri-bilateral',
  'unlisted-procedure',
  'outside-study',
  'investigational',
  'hcpcs-redirect',
  'pet-ct-unbundling',
  'research-imaging',
  'state-mandate',
];

describe.each(MODES)('clean orders raise nothing from the whole-body, coding and benefit rules (%s)', (mode) => {
  it('a routine order set: lumbar MRI, CT abdomen/pelvis for known cancer, brain MRI, bilateral breast MRI, PET/CT', async () => {
    const r = await runScenario(
      {
        orders: [
          imagingOrder('sr-1', '72148'),
          imagingOrder('sr-2', '74177', { reasonCode: [{ coding: [{ system: ICD10, code: 'C18.9', display: 'Malignant neoplasm of colon, unspecified' }] }] }),
          imagingOrder('sr-3', '70551', { reasonCode: [{ coding: [{ system: ICD10, code: 'R51.9', display: 'Headache, unspecified' }] }] }),
          imagingOrder('sr-4', '77049', { reasonCode: [{ coding: [{ system: ICD10, code: 'N63.10', display: 'Unspecified lump in the right breast' }] }] }),
          imagingOrder('sr-5', '78815', { reasonCode: [{ coding: [{ system: ICD10, code: 'C18.9', display: 'Malignant neoplasm of colon, unspecified' }] }] }),
        ],
        record: [condition('c-colon', ICD10, 'C18.9', 'Malignant neoplasm of colon, unspecified')],
      },
      mode,
    );
    for (const rule of WHOLE_BODY_CODING_BENEFIT_RULES) expect([rule, r.cardsFor(rule)]).toEqual([rule, []]);
  });
});

describe('coding rules need no record data', () => {
  it('still judge the order codes when the FHIR server fails and only the conditions were prefetched', async () => {
    const failing = () => ({
      read: async () => {
        throw new FhirReadError({ kind: 'http-status', status: 503 });
      },
    });
    const { app } = createTestApp({ ALLOWED_FHIR_SERVERS: 'http://ehr.example.org/fhir' }, { readerFactory: failing });
    const body = hookRequest({
      orders: [imagingOrder('sr-q', '0648T'), imagingOrder('sr-3d', '76377'), imagingOrder('sr-cta', '70496'), imagingOrder('sr-u', '78999', { code: { coding: [{ system: CPT, code: '78999' }] } })],
      fhirServer: 'http://ehr.example.org/fhir',
      accessToken: 'test-access-token',
      prefetch: { conditions: searchset([]) },
    });
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body);
    expect(res.status).toBe(200);
    const rules = (res.body as { cards: { extension: { 'imaging-cds': { rule: string } } }[] }).cards.map((c) => c.extension['imaging-cds'].rule);
    expect(rules).toEqual(expect.arrayContaining(['investigational', '3d-rendering', 'unlisted-procedure', 'evaluation-incomplete']));
  });
});
