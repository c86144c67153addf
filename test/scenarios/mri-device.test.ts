import type { ServiceRequest } from 'fhir/r4';
import { DEVICE_SAFETY_EXTENSION } from '../../src/rules/catalog/mri-device';
import { ICD10, condition, device, imagingOrder } from '../support/fhir-builders';
import { cleanWorkup } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';

const NCI = 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl';
const labelled = (code: string, display: string) => ({ extension: [{ url: DEVICE_SAFETY_EXTENSION, valueCodeableConcept: { coding: [{ system: NCI, code, display }] } }] });

describe.each(MODES)('mri-device (%s)', (mode) => {
  it('warns on a lumbar MRI without contrast for a patient with a pacemaker Device and suggests CT without contrast', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-1', '72148')], record: [device('dev-pm', '14106009', 'Cardiac pacemaker')] }, mode);
    const [card, ...rest] = r.cardsFor('mri-device');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'contraindication' } } });
    expect(card?.detail).toContain('Device/dev-pm');
    const replaced = card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest;
    expect(replaced.code?.coding?.[0]?.code).toBe('72131');
    expect(card?.suggestions?.[0]?.isRecommended).toBe(true);
  });

  it('matches contrast: MRI brain without and with -> CT head with contrast', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-1', '70553')], record: [device('dev-icd', '72506001', 'Implantable defibrillator')] }, mode);
    const replaced = r.cardsFor('mri-device')[0]?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest;
    expect(replaced.code?.coding?.[0]?.code).toBe('70460');
  });

  it('reads an implant recorded only as a status condition (Z95.0)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-1', '72148')], record: [condition('c-pm', ICD10, 'Z95.0', 'Presence of cardiac pacemaker')] }, mode);
    expect(r.cardsFor('mri-device')[0]?.detail).toContain('Condition/c-pm');
  });

  it('is critical for a device labelled MR Unsafe and info when every implant is MR Conditional', async () => {
    const unsafe = await runScenario({ orders: [imagingOrder('sr-1', '70551')], record: [device('dev-1', '43252007', 'Cochlear prosthesis', labelled('C106047', 'MR Unsafe'))] }, mode);
    expect(unsafe.cardsFor('mri-device')[0]?.indicator).toBe('critical');
    const conditional = await runScenario({ orders: [imagingOrder('sr-1', '70551')], record: [device('dev-2', '14106009', 'Cardiac pacemaker', labelled('C106046', 'MR Conditional'))] }, mode);
    const card = conditional.cardsFor('mri-device')[0];
    expect(card?.indicator).toBe('info');
    expect(card?.suggestions?.[0]?.isRecommended).toBe(false);
  });

  it('reads MR safety from a contained R4 DeviceDefinition, and skips a device labelled MR Safe', async () => {
    const withDefinition = (code: string, display: string) => ({
      definition: { reference: '#def' },
      contained: [{ resourceType: 'DeviceDefinition' as const, id: 'def', safety: [{ coding: [{ system: NCI, code, display }] }] }],
    });
    const unsafe = await runScenario({ orders: [imagingOrder('sr-1', '70551')], record: [device('dev-1', '25937001', 'Neurostimulation device', withDefinition('C106047', 'MR Unsafe'))] }, mode);
    expect(unsafe.cardsFor('mri-device')[0]?.indicator).toBe('critical');
    const safe = await runScenario({ orders: [imagingOrder('sr-1', '70551')], record: [device('dev-2', '25510005', 'Heart valve prosthesis', withDefinition('C106045', 'MR Safe'))] }, mode);
    expect(safe.cardsFor('mri-device')).toEqual([]);
  });

  it('ignores an inactive or entered-in-error device, and does not fire on CT', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-1', '72148')], record: [device('dev-old', '14106009', 'Cardiac pacemaker', { status: 'inactive' }), device('dev-eie', '72506001', 'ICD', { status: 'entered-in-error' }), ...cleanWorkup()] }, mode);
    expect(r.response.cards).toEqual([]);
    const ct = await runScenario({ orders: [imagingOrder('sr-2', '72131')], record: [device('dev-pm', '14106009', 'Cardiac pacemaker')] }, mode);
    expect(ct.cardsFor('mri-device')).toEqual([]);
  });

  it('gives advice on selections only in order-select; other drafts are context', async () => {
    const r = await runScenario(
      { hook: 'order-select', orders: [imagingOrder('sr-a', '72148'), imagingOrder('sr-b', '70551')], selections: ['ServiceRequest/sr-b'], record: [device('dev-pm', '14106009', 'Cardiac pacemaker')] },
      mode,
    );
    expect(r.cardsFor('mri-device').map((c) => c.extension['imaging-cds'].orders)).toEqual([['ServiceRequest/sr-b']]);
  });
});
