import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { ServiceRequest } from 'fhir/r4';
import request from 'supertest';
import { PATIENT_ID, hookRequest, imagingOrder, labObservation, patient, searchset } from '../support/fhir-builders';
import { startFhirServer } from '../support/fhir-server';
import { createTestApp } from '../helpers/test-app';
import { wireViolations } from '../helpers/wire-rules';

/**
 * Faults of the EHR's FHIR server: whatever it does, the hook call ends inside its
 * time budget with 412 (nothing usable) or 200 with the evaluation-incomplete card (partial), never a
 * 5xx, never a hang, and every connection the service opened is closed afterwards.
 */
type Fault =
  | 'ok'
  | 'error-401'
  | 'error-500'
  | 'stall'
  | 'slow'
  | 'garbage'
  | 'not-json'
  | 'wrong-bundle'
  | 'wrong-type'
  | 'reset'
  | 'headers-then-stall'
  | 'redirect-loop'
  | 'other-patient'
  | 'bundle-for-read'
  | 'wrong-entries';
const BUDGET_MS = 400;
const SIGN = '/cds-services/imaging-order-sign';
const ctWithContrast = (): ServiceRequest => imagingOrder('sr-ct', '74177');

interface FaultServer {
  readonly baseUrl: string;
  fault: (path: string) => Fault;
  /** Requests whose connection is still open (a stalled request the service never hung up on). */
  readonly open: () => number;
  readonly seen: string[];
  close(): Promise<void>;
}

async function startFaultServer(): Promise<FaultServer> {
  const app = express();
  let openRequests = 0;
  const seen: string[] = [];
  const state: { fault: (path: string) => Fault } = { fault: () => 'ok' };
  app.use((req, res) => {
    seen.push(req.path);
    openRequests += 1;
    res.on('close', () => {
      openRequests -= 1;
    });
    const fault = state.fault(req.path);
    const ok = (): void => {
      res.type('application/fhir+json').send(JSON.stringify(req.path.endsWith(`/Patient/${PATIENT_ID}`) ? patient() : searchset([])));
    };
    switch (fault) {
      case 'ok':
        return ok();
      case 'error-401':
        res.status(401).type('application/fhir+json').send('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login"}]}');
        return;
      case 'error-500':
        res.status(500).type('application/fhir+json').send('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}');
        return;
      case 'stall':
        return;
      case 'slow':
        setTimeout(ok, BUDGET_MS * 3).unref();
        return;
      case 'garbage':
        res.type('application/fhir+json').send('{"resourceType": "Bundle", "entry": [ {');
        return;
      case 'not-json':
        res.type('text/html').send('<html><body>Service Unavailable</body></html>');
        return;
      case 'wrong-bundle':
        res.type('application/fhir+json').send(JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: labObservation('o1', '98979-8', 12, 'mL/min/{1.73_m2}', '2026-11-20') }] }));
        return;
      case 'wrong-type':
        res.type('application/fhir+json').send(JSON.stringify([1, 2, 3]));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'headers-then-stall':
        res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
        res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
        return;
      case 'redirect-loop':
        res.redirect(302, req.originalUrl);
        return;
      case 'other-patient':
        res.type('application/fhir+json').send(JSON.stringify(patient({ id: 'someone-else' })));
        return;
      case 'bundle-for-read':
        res.type('application/fhir+json').send(JSON.stringify(searchset([patient()])));
        return;
      case 'wrong-entries':
        res.type('application/fhir+json').send(JSON.stringify(searchset([{ resourceType: 'Practitioner', id: 'prac-1' }])));
        return;
    }
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    set fault(f: (path: string) => Fault) {
      state.fault = f;
    },
    get fault() {
      return state.fault;
    },
    open: () => openRequests,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function eventually(check: () => boolean, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

let fhir: FaultServer;
beforeAll(async () => {
  fhir = await startFaultServer();
});
afterAll(() => fhir.close());

async function call(): Promise<{ status: number; body: Record<string, unknown>; ms: number; sent: ReturnType<typeof hookRequest> }> {
  const { app } = createTestApp({ ALLOWED_FHIR_SERVERS: fhir.baseUrl, FHIR_TIME_BUDGET_MS: String(BUDGET_MS) });
  const sent = hookRequest({ orders: [ctWithContrast()], fhirServer: fhir.baseUrl, accessToken: 'tok-faults' });
  const started = Date.now();
  const res = await request(app).post(SIGN).send(sent);
  return { status: res.status, body: res.body as Record<string, unknown>, ms: Date.now() - started, sent };
}

const ALL_FAULTS: Fault[] = [
  'error-401',
  'error-500',
  'stall',
  'slow',
  'garbage',
  'not-json',
  'wrong-bundle',
  'wrong-type',
  'reset',
  'headers-then-stall',
  'redirect-loop',
  'other-patient',
  'bundle-for-read',
  'wrong-entries',
];

describe('every read fails the same way', () => {
  it.each(ALL_FAULTS)('%s: 412 OperationOutcome inside the budget, no open connection left', async (fault) => {
    fhir.fault = () => fault;
    const r = await call();
    expect(r.status).toBe(412);
    expect(r.body['resourceType']).toBe('OperationOutcome');
    expect(r.ms).toBeLessThan(BUDGET_MS + 1500);
    expect(await eventually(() => fhir.open() === 0, 1000)).toBe(true);
  });
});

describe('some reads fail: the answer is partial, not silent', () => {
  it.each(ALL_FAULTS)('%s on the lab search only: 200 with the evaluation-incomplete card', async (fault) => {
    fhir.fault = (path) => (path.includes('/Observation') ? fault : 'ok');
    const r = await call();
    expect(r.status).toBe(200);
    expect(wireViolations(r.body, r.sent)).toEqual([]);
    const rules = (r.body['cards'] as { extension: { 'imaging-cds': { rule: string } } }[]).map((c) => c.extension['imaging-cds'].rule);
    expect(rules).toContain('evaluation-incomplete');
    expect(r.ms).toBeLessThan(BUDGET_MS + 1500);
    expect(await eventually(() => fhir.open() === 0, 1000)).toBe(true);
  });
});

type Outcome = { issue: { diagnostics: string; expression: string[] }[] };
type Cards = { cards: { summary: string; detail: string; extension: { 'imaging-cds': { rule: string } } }[] };

describe('the 412 and the evaluation-incomplete card say what went wrong', () => {
  it.each([
    ['error-401', '401 from the FHIR server'],
    ['error-500', '500 from the FHIR server'],
    ['stall', `the FHIR server read timed out after ${BUDGET_MS} ms`],
    ['garbage', 'the FHIR server answered with a body that is not valid JSON'],
    ['not-json', 'the FHIR server answered with something that is not a FHIR resource'],
    ['wrong-bundle', 'the FHIR server answered with a Bundle of type transaction where a searchset was expected'],
    ['reset', 'the FHIR server closed the connection before its answer was complete'],
    ['redirect-loop', 'the FHIR server answered with a redirect, which is not followed'],
    ['wrong-entries', 'the FHIR server answered with a searchset of Practitioner entries where Observation was searched'],
  ] as const)('%s on every read: the 412 says "%s"', async (fault, says) => {
    fhir.fault = () => fault;
    const r = await call();
    expect(r.status).toBe(412);
    const issues = (r.body as unknown as Outcome).issue;
    const lab = issues.find((i) => i.expression[0] === 'prefetch.renalLabs');
    expect(lab?.diagnostics).toBe(`prefetch.renalLabs (the kidney-function labs) is needed to check the imaging orders, but it is not in prefetch and ${says}`);
    for (const issue of issues) expect(issue.diagnostics).toMatch(/^prefetch\.\w+ \(.+\) is needed to check the imaging orders, but it is not in prefetch and .+/);
  });

  it.each([
    ['error-401', '/Observation', 'the kidney-function labs, the pregnancy observations (401 from the FHIR server)'],
    ['stall', '/Observation', `the kidney-function labs, the pregnancy observations (the FHIR server read timed out after ${BUDGET_MS} ms)`],
    ['other-patient', `/Patient/${PATIENT_ID}`, 'the patient demographics (the FHIR server answered with a Patient other than the one read)'],
    ['bundle-for-read', `/Patient/${PATIENT_ID}`, 'the patient demographics (the FHIR server answered with a Bundle where a Patient was read)'],
  ] as const)('%s on %s only: the card names the data and why, and nothing of the answer is used', async (fault, path, says) => {
    fhir.fault = (p) => (p.includes(path) ? fault : 'ok');
    const r = await call();
    expect(r.status).toBe(200);
    const incomplete = (r.body as unknown as Cards).cards.filter((c) => c.extension['imaging-cds'].rule === 'evaluation-incomplete');
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0]?.detail).toContain(`The service could not read ${says}: not in prefetch`);
    expect(wireViolations(r.body, r.sent)).toEqual([]);
  });

  it('names a refused connection as "could not connect to the FHIR server"', async () => {
    const closed = express().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const base = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/fhir`;
    await new Promise((resolve) => closed.close(resolve));
    const { app } = createTestApp({ ALLOWED_FHIR_SERVERS: base, FHIR_TIME_BUDGET_MS: String(BUDGET_MS) });
    const res = await request(app).post(SIGN).send(hookRequest({ orders: [ctWithContrast()], fhirServer: base, accessToken: 'tok-faults' }));
    expect(res.status).toBe(412);
    const issues = (res.body as Outcome).issue;
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(issue.diagnostics).toMatch(/, but it is not in prefetch and could not connect to the FHIR server$/);
  });
});

describe('the in-process FHIR server with failWhen', () => {
  it.each(['error-500', 'stall', 'garbage'] as const)('%s on every request: 412, inside the budget', async (behaviour) => {
    const server = await startFhirServer();
    try {
      server.failWhen(() => true, behaviour);
      const { app } = createTestApp({ ALLOWED_FHIR_SERVERS: server.baseUrl, FHIR_TIME_BUDGET_MS: String(BUDGET_MS) });
      const started = Date.now();
      const res = await request(app).post(SIGN).send(hookRequest({ orders: [ctWithContrast()], fhirServer: server.baseUrl }));
      expect(res.status).toBe(412);
      expect(Date.now() - started).toBeLessThan(BUDGET_MS + 1500);
    } finally {
      await server.close();
    }
  });
});

describe('no leaked sockets', () => {
  it('leaves no more client sockets than it found after a series of faulty calls', async () => {
    const sockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    fhir.fault = () => 'ok';
    await call(); // warm up keep-alive pools
    const baseline = sockets();
    for (const fault of ['stall', 'headers-then-stall', 'reset', 'slow'] as const) {
      fhir.fault = () => fault;
      await call();
    }
    expect(await eventually(() => fhir.open() === 0 && sockets() <= baseline, 2000)).toBe(true);
  });
});
