import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { HookRequest } from '../../src/cds-hooks/types';
import { hookRequest, imagingOrder, prefetchWith } from '../support/fhir-builders';
import { createTestApp } from '../helpers/test-app';
import { expectOperationOutcome, expectWireValid } from '../helpers/wire-rules';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cds-hooks-spec');
const fixture = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

/** The hook library's context-only examples, wrapped into full requests as their README says. */
function wrap(contextFile: string, hook: 'order-select' | 'order-sign'): HookRequest {
  return { hook, hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea', fhirServer: 'https://ehr.example.test/fhir', ...fixture(contextFile) } as unknown as HookRequest;
}

describe('discovery', () => {
  it('lists the two services with 2.0-token prefetch templates only', async () => {
    const { app } = createTestApp();
    const res = await request(app).get('/cds-services').expect(200).expect('Content-Type', /application\/json/);
    const services = res.body.services as { id: string; hook: string; title: string; description: string; prefetch: Record<string, string> }[];
    expect(services.map((s) => [s.id, s.hook])).toEqual([
      ['imaging-order-select', 'order-select'],
      ['imaging-order-sign', 'order-sign'],
    ]);
    for (const s of services) {
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.description.length).toBeGreaterThan(0);
      const tokens = Object.values(s.prefetch).flatMap((t) => [...t.matchAll(/\{\{([^}]+)\}\}/g)].map((m) => m[1]));
      expect(new Set(tokens)).toEqual(new Set(['context.patientId']));
      expect(Object.keys(s.prefetch)).toEqual(
        expect.arrayContaining(['patient', 'conditions', 'devices', 'allergies', 'renalLabs', 'pregnancyObservations', 'imagingStudies', 'procedures', 'encounters', 'coverage']),
      );
      // labs come newest first and bounded
      expect(s.prefetch['renalLabs']).toMatch(/_sort=-date&_count=\d+$/);
      expect(s.prefetch['conditions']).toContain('clinical-status=active');
    }
  });
});

describe('hook call validation', () => {
  const { app } = createTestApp();
  const valid = hookRequest({ hook: 'order-select', orders: [imagingOrder('sr-1', '71250')], prefetch: prefetchWith({}) });

  it('answers malformed JSON with a 400 OperationOutcome', async () => {
    const res = await request(app).post('/cds-services/imaging-order-select').set('Content-Type', 'application/json').send('{"hook": ').expect(400);
    expectOperationOutcome(res.body);
    expectOperationOutcome(res.body);
    expect(res.body.issue[0].diagnostics).toMatch(/not valid JSON/);
  });

  it('names every missing field with its path, one issue per problem', async () => {
    const res = await request(app).post('/cds-services/imaging-order-sign').send({ hook: 'order-sign', context: { userId: 'Practitioner/1' } }).expect(400);
    expectOperationOutcome(res.body);
    const expressions = (res.body.issue as { expression: string[] }[]).map((i) => i.expression[0]);
    expect(expressions).toEqual(expect.arrayContaining(['hookInstance', 'context.patientId', 'context.draftOrders']));
    expect(res.body.issue).toHaveLength(3);
  });

  it('rejects a hook that does not match the service', async () => {
    const body = { ...valid, hook: 'order-sign' };
    const res = await request(app).post('/cds-services/imaging-order-select').send(body).expect(400);
    expectOperationOutcome(res.body);
    expect(res.body.issue).toEqual([expect.objectContaining({ expression: ['hook'], diagnostics: expect.stringMatching(/order-select/) })]);
  });

  it('rejects draftOrders that is not a Bundle', async () => {
    const body = { ...valid, context: { ...valid.context, draftOrders: { resourceType: 'ServiceRequest', id: 'x' } } };
    const res = await request(app).post('/cds-services/imaging-order-select').send(body).expect(400);
    expectOperationOutcome(res.body);
    expect(res.body.issue[0].expression).toEqual(['context.draftOrders.resourceType']);
  });

  it('rejects selections that are malformed or not in draftOrders', async () => {
    const body = { ...valid, context: { ...valid.context, selections: ['ServiceRequest/sr-404', 'not a reference'] } };
    const res = await request(app).post('/cds-services/imaging-order-select').send(body).expect(400);
    expectOperationOutcome(res.body);
    expect(res.body.issue.map((i: { expression: string[] }) => i.expression[0])).toEqual(['context.selections[1]']);
    const body2 = { ...valid, context: { ...valid.context, selections: ['ServiceRequest/sr-404'] } };
    const res2 = await request(app).post('/cds-services/imaging-order-select').send(body2).expect(400);
    expectOperationOutcome(res2.body);
    expect(res2.body.issue[0]).toMatchObject({ expression: ['context.selections[0]'], diagnostics: expect.stringMatching(/not a resource in context.draftOrders/) });
  });

  it('requires selections on order-select', async () => {
    const { selections: _s, ...context } = valid.context;
    const res = await request(app).post('/cds-services/imaging-order-select').send({ ...valid, context }).expect(400);
    expectOperationOutcome(res.body);
    expect(res.body.issue[0].expression).toEqual(['context.selections']);
  });

  it('answers an unknown service id with 404', async () => {
    const res = await request(app).post('/cds-services/no-such-service').send(valid).expect(404);
    expectOperationOutcome(res.body);
    expectOperationOutcome(res.body);
  });

  it('tolerates unknown extra fields (CDS Hooks extension mechanism)', async () => {
    const body = { ...valid, extension: { 'com.example.x': { y: 1 } }, futureField: true, context: { ...valid.context, futureContext: 'x' } };
    const res = await request(app).post('/cds-services/imaging-order-select').send(body).expect(200);
    expectWireValid(res.body, body as HookRequest);
  });

  it('refuses a non-JSON body', async () => {
    const res = await request(app).post('/cds-services/imaging-order-select').set('Content-Type', 'text/plain').send('hello').expect(400);
    expectOperationOutcome(res.body);
    expect(res.body.issue[0].diagnostics).toMatch(/JSON object/);
  });
});

describe("the spec's own example requests", () => {
  const { app } = createTestApp();
  it.each([
    ['order-select.context.r4.library-v1.0.1.json', 'order-select'],
    ['order-select.context.r4.library-main.json', 'order-select'],
    ['order-sign.context.r4.library-v1.0.1.json', 'order-sign'],
    ['order-sign.context.r4.library-main.json', 'order-sign'],
  ] as const)('%s (medication and nutrition drafts) gets 200 and no cards, with no FHIR call', async (file, hook) => {
    const body = wrap(file, hook);
    const res = await request(app).post(`/cds-services/imaging-${hook}`).send(body).expect(200);
    expectWireValid(res.body, body);
    expect(res.body.cards).toEqual([]);
  });

  it('the Argonaut PAMA order-select request with no prefetch and no usable FHIR server gets 412', async () => {
    const body = fixture('pama-argonaut/scenario-01-outbound-request.json');
    const res = await request(app).post('/cds-services/imaging-order-select').send(body).expect(412);
    expectOperationOutcome(res.body);
    expectOperationOutcome(res.body);
    expect(res.body.issue.map((i: { expression: string[] }) => i.expression[0])).toEqual(expect.arrayContaining(['prefetch.renalLabs', 'prefetch.conditions']));
  });
});

describe('feedback', () => {
  it.each(['spec-2.0.1.feedback.accepted.json', 'spec-2.0.1.feedback.overridden.json', 'spec-2.0.1.feedback.overridden-with-reason.json'])(
    'accepts the spec example %s and stores it once',
    async (file) => {
      const { app, store } = createTestApp();
      const body = fixture(file);
      await request(app).post('/cds-services/imaging-order-select/feedback').send(body).expect(200, {});
      await request(app).post('/cds-services/imaging-order-select/feedback').send(body).expect(200, {});
      const n = (body['feedback'] as unknown[]).length;
      // stored once, the second post is recognised as a duplicate; these cards were never issued here
      expect(store.feedbackResults).toEqual([
        { stored: n, duplicates: 0, unknownCards: n },
        { stored: 0, duplicates: n, unknownCards: n },
      ]);
    },
  );

  it('rejects a malformed feedback body with paths', async () => {
    const { app } = createTestApp();
    const res = await request(app)
      .post('/cds-services/imaging-order-sign/feedback')
      .send({ feedback: [{ card: 'c', outcome: 'maybe', outcomeTimestamp: 'yesterday' }] })
      .expect(400);
    expect(res.body.issue.map((i: { expression: string[] }) => i.expression[0]).sort()).toEqual(['feedback[0].outcome', 'feedback[0].outcomeTimestamp']);
  });

  it('requires acceptedSuggestions when accepted', async () => {
    const { app } = createTestApp();
    const res = await request(app)
      .post('/cds-services/imaging-order-sign/feedback')
      .send({ feedback: [{ card: 'c', outcome: 'accepted', outcomeTimestamp: '2026-11-23T10:00:00Z' }] })
      .expect(400);
    expect(res.body.issue[0].expression).toEqual(['feedback[0].acceptedSuggestions']);
  });

  it('404s feedback for an unknown service', async () => {
    const { app } = createTestApp();
    await request(app).post('/cds-services/nope/feedback').send(fixture('spec-2.0.1.feedback.accepted.json')).expect(404);
  });
});

describe('CORS, health and unknown routes', () => {
  const { app } = createTestApp();
  it('answers a sandbox preflight without credentials, with Private Network Access', async () => {
    const res = await request(app)
      .options('/cds-services/imaging-order-select')
      .set('Origin', 'https://sandbox.cds-hooks.org')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type')
      .set('Access-Control-Request-Private-Network', 'true')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(res.headers['access-control-allow-private-network']).toBe('true');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('restricts origins when configured', async () => {
    const { app: restricted } = createTestApp({ CORS_ORIGINS: 'https://ehr.example.org' });
    const res = await request(restricted).get('/cds-services').set('Origin', 'https://ehr.example.org').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://ehr.example.org');
    const other = await request(restricted).get('/cds-services').set('Origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('has liveness and readiness probes', async () => {
    await request(app).get('/health').expect(200, { status: 'ok' });
    await request(app).get('/ready').expect(200, { status: 'ready' });
  });

  it('answers unknown paths with an OperationOutcome 404', async () => {
    const res = await request(app).get('/nothing-here').expect(404);
    expectOperationOutcome(res.body);
    expectOperationOutcome(res.body);
  });
});
