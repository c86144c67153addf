import request from 'supertest';
import type { HookRequest } from '../../src/cds-hooks/types';
import { device, hookRequest, imagingOrder, labObservation, prefetchWith } from '../support/fhir-builders';
import { createTestApp } from '../helpers/test-app';
import { expectWireValid } from '../helpers/wire-rules';

/** Da Vinci CRD configuration options: advertised in discovery, obeyed per request, unknown ones ignored. */
const { app } = createTestApp();

/** MRI with a pacemaker (contraindication), CT with contrast and low eGFR (contraindication), no reason (appropriate-use). */
function call(configuration?: unknown): HookRequest {
  const base = hookRequest({
    orders: [imagingOrder('sr-mri', '72148'), imagingOrder('sr-ct', '74177', { reasonCode: undefined })],
    prefetch: prefetchWith({ devices: [device('dev-pm', '14106009', 'Cardiac pacemaker')], renalLabs: [labObservation('egfr', '98979-8', 20, 'mL/min/{1.73_m2}', '2026-11-20')] }),
  });
  return configuration === undefined ? base : { ...base, extension: { 'davinci-crd.configuration': configuration } };
}

async function rulesOf(body: HookRequest): Promise<string[]> {
  const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(200);
  return expectWireValid(res.body, body).cards.map((c) => c.extension['imaging-cds'].rule);
}

describe('CRD configuration options', () => {
  it('discovery advertises one boolean per card type the enabled rules return, and max-cards', async () => {
    const res = await request(app).get('/cds-services').expect(200);
    for (const service of res.body.services as { extension: Record<string, { code: string; type: string; default: unknown }[]> }[]) {
      const options = service.extension['davinci-crd.configuration-options'] ?? [];
      expect(options.map((o) => o.code)).toEqual(expect.arrayContaining(['contraindication', 'appropriate-use', 'claim', 'coverage-info', 'max-cards']));
      expect(options.find((o) => o.code === 'contraindication')).toMatchObject({ type: 'boolean', default: true });
      expect(options.find((o) => o.code === 'max-cards')).toMatchObject({ type: 'integer' });
    }
  });

  it('switching a card type off drops exactly the cards of that type', async () => {
    const all = await rulesOf(call());
    expect(all).toEqual(expect.arrayContaining(['mri-device', 'contrast-renal', 'missing-indication']));
    const without = await rulesOf(call({ contraindication: false }));
    expect(without).not.toContain('mri-device');
    expect(without).not.toContain('contrast-renal');
    expect(without).toContain('missing-indication');
  });

  it('max-cards keeps the most severe first', async () => {
    const all = await rulesOf(call());
    expect(await rulesOf(call({ 'max-cards': 2 }))).toEqual(all.slice(0, 2));
  });

  it('ignores unknown or ill-typed options (never an error)', async () => {
    const all = await rulesOf(call());
    expect(await rulesOf(call({ 'max-cards': 'two', contraindication: 'no', 'made-up': true }))).toEqual(all);
    expect(await rulesOf(call(['not', 'an', 'object']))).toEqual(all);
  });
});
