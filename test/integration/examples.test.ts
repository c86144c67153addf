import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { HookRequest } from '../../src/cds-hooks/types';
import { createTestApp } from '../helpers/test-app';
import { expectWireValid } from '../helpers/wire-rules';

/** The request files the README's curl examples use answer what the README says they answer. */
const read = (name: string): HookRequest => JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', name), 'utf8')) as HookRequest;

describe('examples/', () => {
  it('order-sign-mri-pacemaker-ct-low-egfr.json: an MRI device warning and a contrast-renal warning, each with a suggestion', async () => {
    const { app } = createTestApp();
    const body = read('order-sign-mri-pacemaker-ct-low-egfr.json');
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body).expect(200);
    const { cards, systemActions } = expectWireValid(res.body, body);
    expect(systemActions).toEqual([]);
    // a recent office visit and lumbar radiographs are in the record: exactly the two warnings the README names
    expect(cards.map((c) => [c.extension['imaging-cds'].rule, c.indicator])).toEqual([
      ['contrast-renal', 'warning'],
      ['mri-device', 'warning'],
    ]);
    const byRule = Object.fromEntries(cards.map((c) => [c.extension['imaging-cds'].rule, c]));
    expect(byRule['mri-device']?.extension['imaging-cds'].orders).toEqual(['ServiceRequest/sr-mri-lumbar']);
    expect(byRule['contrast-renal']?.extension['imaging-cds'].orders).toEqual(['ServiceRequest/sr-ct-abdpel']);
    expect(byRule['mri-device']?.suggestions?.[0]?.actions?.[0]?.resource).toMatchObject({ code: { coding: [{ code: '72131' }] } });
    expect(byRule['contrast-renal']?.suggestions?.[0]?.actions?.[0]?.resource).toMatchObject({ code: { coding: [{ code: '74176' }] } });
  });

  it('order-select-no-prefetch.json: 412 when the FHIR server is not allow-listed', async () => {
    const { app } = createTestApp();
    const res = await request(app).post('/cds-services/imaging-order-select').send(read('order-select-no-prefetch.json')).expect(412);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });
});
