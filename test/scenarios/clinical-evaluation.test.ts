import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { HookResponse } from '../../src/cds-hooks/types';
import { ICD10, hookRequest, imagingOrder, prefetchWith } from '../support/fhir-builders';
import { inpatientStay, officeVisit } from '../support/clinical-builders';
import { MODES, runScenario } from '../helpers/scenario';
import { createTestApp } from '../helpers/test-app';

/** clinical-evaluation (Preface-3.1): an office/telehealth/telephone/messaging contact in the last 60 days. */
const headache = { reasonCode: [{ coding: [{ system: ICD10, code: 'R51.9', display: 'Headache, unspecified' }] }] };

describe.each(MODES)('clinical-evaluation (%s)', (mode) => {
  it('warns on an MRI brain when the last office visit was 90 days ago, offering scheduled follow-up as override', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '70551', headache)], record: [officeVisit('enc-old', '2026-08-25')] }, mode);
    const [card, ...rest] = r.cardsFor('clinical-evaluation');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'appropriate-use' } } });
    expect(card?.summary).toContain('60 days');
    expect(card?.detail).toContain('| Office, telehealth, telephone or messaging encounter in the 60 days before 2026-11-23 | none in the record |');
    expect(card?.overrideReasons?.map((o) => o.code)).toEqual(['scheduled-follow-up']);
  });

  it('does not count an inpatient stay, nor a cancelled office visit', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '70551', headache)], record: [inpatientStay('enc-ip', '2026-11-10'), officeVisit('enc-x', '2026-11-18', { status: 'cancelled' })] }, mode);
    expect(r.cardsFor('clinical-evaluation')).toHaveLength(1);
  });

  it('is silent after a telehealth (virtual) visit 3 weeks ago', async () => {
    const virtual = officeVisit('enc-vr', '2026-11-02', {
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR', display: 'virtual' },
      type: [{ coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '98005', display: 'Synchronous audio-video visit' }] }],
    });
    const r = await runScenario({ orders: [imagingOrder('sr-mr', '70551', headache)], record: [virtual] }, mode);
    expect(r.cardsFor('clinical-evaluation')).toEqual([]);
  });
});

describe('clinical-evaluation with an encounter in the hook context', () => {
  it('treats context.encounterId as a current evaluation', async () => {
    const { app } = createTestApp({});
    const base = hookRequest({ orders: [imagingOrder('sr-mr', '70551', headache)], prefetch: prefetchWith({}) });
    const body = { ...base, hookInstance: randomUUID(), context: { ...base.context, encounterId: 'enc-now' } };
    const res = await request(app).post('/cds-services/imaging-order-sign').send(body);
    expect(res.status).toBe(200);
    expect((res.body as HookResponse).cards.filter((c) => c.extension['imaging-cds'].rule === 'clinical-evaluation')).toEqual([]);
    const without = await request(app).post('/cds-services/imaging-order-sign').send({ ...base, hookInstance: randomUUID() });
    expect((without.body as HookResponse).cards.filter((c) => c.extension['imaging-cds'].rule === 'clinical-evaluation')).toHaveLength(1);
  });
});
