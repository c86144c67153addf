import type { Server } from 'node:http';
import fc from 'fast-check';
import nock from 'nock';
import request from 'supertest';
import type { HookRequest } from '../../src/cds-hooks/types';
import { ICD10, condition, device, hookRequest, imagingOrder, labObservation, prefetchWith } from '../support/fhir-builders';
import { Writable } from 'node:stream';
import pino from 'pino';
import { hookDeps } from '../../src/compose';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/http/app';
import { RecordingStore } from '../helpers/test-app';
import { serviceParts } from '../helpers/test-app';
import { wireViolations } from '../helpers/wire-rules';

/**
 * Property (2,000 requests a run): whatever arrives at the hook and feedback endpoints (valid requests mutated by dropping or
 * replacing fields, wrong types, huge strings, deep nesting, odd unicode, raw non-JSON), the service
 * answers below 500 with an OperationOutcome, or with a response that passes the wire rules. Runs
 * against one in-process server; numRuns is tuned to stay under ~30 s on a shared 2-core machine.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

const SELECT = '/cds-services/imaging-order-select';
const SIGN = '/cds-services/imaging-order-sign';

const seeds: { path: string; body: Json }[] = [
  { path: SIGN, body: hookRequest({ orders: [imagingOrder('sr-ct', '74177'), imagingOrder('sr-mr', '70553')], prefetch: prefetchWith({ renalLabs: [labObservation('o1', '98979-8', 24, 'mL/min/{1.73_m2}', '2026-11-10')], devices: [device('d1', '14106009', 'Cardiac pacemaker')] }) }) as unknown as Json },
  { path: SELECT, body: hookRequest({ hook: 'order-select', orders: [imagingOrder('sr-1', '71250')], prefetch: prefetchWith({ conditions: [condition('c1', ICD10, 'N18.5', 'CKD stage 5')] }) }) as unknown as Json },
  { path: SIGN, body: hookRequest({ orders: [imagingOrder('sr-2', '74177')], fhirServer: 'https://ehr.example.test/fhir', accessToken: 'tok' }) as unknown as Json },
  {
    path: `${SIGN}/feedback`,
    body: {
      feedback: [
        { card: '9b1c2f3e-0a6f-4f1e-9d7c-1f2e3d4c5b6a', outcome: 'overridden', outcomeTimestamp: '2026-11-23T10:00:00Z', overrideReason: { reason: { code: 'patient-benefit', system: 'http://example.org/override', display: 'Benefit' }, userComment: 'ok' } },
        { card: '1b1c2f3e-0a6f-4f1e-9d7c-1f2e3d4c5b6b', outcome: 'accepted', outcomeTimestamp: '2026-11-23T10:00:00Z', acceptedSuggestions: [{ id: '2b1c2f3e-0a6f-4f1e-9d7c-1f2e3d4c5b6c' }] },
      ],
    },
  },
];

/** Every path into a JSON value (bounded, so a mutation can target any field, element or leaf). */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (out.length > 2000) return out;
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function setAt(root: Json, path: Path, replace: (old: Json | undefined) => Json | undefined): Json {
  if (path.length === 0) return replace(root) ?? null;
  const copy = structuredClone(root);
  let node: Json = copy;
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, Json>)[step] as Json;
  const last = path[path.length - 1] as string | number;
  const next = replace((node as Record<string | number, Json>)[last]);
  if (next === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete (node as Record<string, Json>)[last as string];
  } else (node as Record<string | number, Json>)[last] = next;
  return copy;
}

const deep = (depth: number, leaf: Json): Json => {
  let v = leaf;
  for (let i = 0; i < depth; i += 1) v = i % 2 === 0 ? [v] : { x: v };
  return v;
};

const oddStrings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', 'Patient/../../admin', '{{context.patientId}}', '__proto__', 'constructor', 'http://169.254.169.254/latest', 'eyJhbGciOiJub25lIn0.e30.'),
  fc.integer({ min: 10_000, max: 120_000 }).map((n) => 'A'.repeat(n)),
);

const replacement: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 3, arbitrary: oddStrings },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, [], {}, '', 0, -1, 1e308, true) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 300 }).map((d) => deep(d, 'leaf')) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => ({ resource: { resourceType: 'Observation', id: `o${i}` } })) as Json) },
);

type Mutation = { kind: 'drop'; at: number } | { kind: 'replace'; at: number; value: Json } | { kind: 'key'; at: number; key: string; value: Json };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: replacement }),
  fc.record({ kind: fc.constant('key' as const), at: fc.nat(), key: oddStrings.map((s) => s.slice(0, 60)), value: replacement }),
);

function mutate(body: Json, m: Mutation): Json {
  const paths = pathsOf(body);
  const path = paths[m.at % paths.length] ?? [];
  if (m.kind === 'drop') return setAt(body, path, () => undefined);
  if (m.kind === 'replace') return setAt(body, path, () => m.value);
  return setAt(body, path, (old) => (old !== null && typeof old === 'object' && !Array.isArray(old) ? { ...old, [m.key]: m.value } : m.value));
}

let server: Server;
const errors: string[] = [];
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  const config = loadConfig({ ALLOWED_FHIR_SERVERS: 'https://ehr.example.test/fhir', FHIR_TIME_BUDGET_MS: '200' });
  // unhandled errors are kept so a failing run names the exception, not just "500"
  const log = pino({ level: 'error' }, new Writable({ write: (c: Buffer, _e, cb) => { errors.push(c.toString()); cb(); } }));
  const app = createApp({ ...hookDeps(config, serviceParts(), new RecordingStore(), log), config, readiness: { ready: () => true } });
  server = app.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  nock.enableNetConnect();
  // uninstall nock's interceptor: jest runs files in one process, and a stale one breaks later files' HTTP
  nock.restore();
});

function checkAnswer(path: string, sent: unknown, status: number, body: unknown): void {
  if (status >= 500) throw new Error(`${status} for ${path}: ${JSON.stringify(body).slice(0, 300)}; logged: ${errors.at(-1) ?? 'nothing'}`);
  if (status === 200) {
    if (path.endsWith('/feedback')) {
      expect(body).toEqual({});
      return;
    }
    const problems = wireViolations(body, sent as HookRequest);
    if (problems.length > 0) throw new Error(`wire violations: ${problems.join('; ')}`);
    return;
  }
  expect((body as { resourceType?: unknown }).resourceType).toBe('OperationOutcome');
}

describe('hostile input: never a 5xx, always an OperationOutcome or a wire-valid answer', () => {
  it('mutated hook and feedback requests', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (seed, mutations, wrongService) => {
        const body = mutations.reduce(mutate, seed.body);
        // a feedback body sent to a hook endpoint and vice versa
        const path = wrongService ? (seed.path.endsWith('/feedback') ? SIGN : `${seed.path}/feedback`) : seed.path;
        const res = await request(server).post(path).set('Content-Type', 'application/json').send(JSON.stringify(body));
        checkAnswer(path, body, res.status, res.body);
      }),
      { numRuns: 1500 },
    );
  }, 60_000);

  it('raw bodies: not JSON, wrong content types, odd bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(SIGN, SELECT, `${SIGN}/feedback`, '/cds-services/unknown', '/cds-services/%00', '/cds-services/imaging-order-sign/feedback/extra'),
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), fc.constantFrom('{"hook":', '[]', '"x"', '1e999', '{"__proto__":{"polluted":1}}', '\ufeff{}')),
        fc.constantFrom('application/json', 'application/fhir+json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded'),
        async (path, raw, type) => {
          const res = await request(server).post(path).set('Content-Type', type).send(raw);
          checkAnswer(path, raw, res.status, res.body);
          expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
        },
      ),
      { numRuns: 500 },
    );
  }, 60_000);
});
