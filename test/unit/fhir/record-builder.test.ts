import type { FhirResource, OperationOutcome } from 'fhir/r4';
import type { FhirReader } from '../../../src/fhir/fhir-reader';
import { buildPatientRecord } from '../../../src/fhir/record-builder';
import type { DataKey } from '../../../src/fhir/data-keys';
import { device, hookRequest, imagingOrder, patient, searchset } from '../../support/fhir-builders';
import { serviceParts } from '../../helpers/test-app';

const templates = serviceParts().content.services.get('imaging-order-sign')!.prefetch;
const EHR = 'https://ehr.example.test/fhir';

function recordingReader(answer: (url: string) => Promise<FhirResource[]>) {
  const calls: { url: string; pageLimit: number }[] = [];
  const events: string[] = [];
  const reader: FhirReader = {
    read: async (url, { pageLimit }) => {
      calls.push({ url, pageLimit });
      events.push(`start ${url.split('?')[0] ?? ''}`);
      const result = await answer(url);
      events.push(`end ${url.split('?')[0] ?? ''}`);
      return result;
    },
  };
  return { calls, events, factory: () => reader };
}

const deps = (factory: () => FhirReader, timeBudgetMs = 500) => ({ readerFactory: factory, fhirServerAllowed: (u: string) => u === EHR, timeBudgetMs, pageLimit: 3 });

describe('buildPatientRecord', () => {
  it('reads prefetch first and fetches only the missing keys, all in parallel', async () => {
    const { calls, events, factory } = recordingReader(async (url) => {
      await new Promise((r) => setTimeout(r, 20));
      return url.startsWith('Device') ? [device('d1', '14106009', 'Cardiac pacemaker')] : [];
    });
    const request = hookRequest({ orders: [imagingOrder('sr-1', '72148')], prefetch: { patient: patient() }, fhirServer: EHR });
    const needed = new Set<DataKey>(['patient', 'devices', 'conditions', 'renalLabs']);
    const out = await buildPatientRecord(request, templates, needed, deps(factory));
    // in parallel: every read starts before the first one ends
    expect(events.slice(0, 3).every((e) => e.startsWith('start'))).toBe(true);
    expect(calls.map((c) => c.url.split('?')[0]).sort()).toEqual(['Condition', 'Device', 'Observation']);
    expect(calls.find((c) => c.url.startsWith('Observation'))?.pageLimit).toBe(1); // _count-bounded search: one page
    expect(calls.find((c) => c.url.startsWith('Condition'))?.pageLimit).toBe(3);
    expect(out.record.devices.map((d) => d.id)).toEqual(['d1']);
    expect(out.record.patient?.id).toBe('pat-1');
    expect([...out.record.available].sort()).toEqual(['conditions', 'devices', 'patient', 'renalLabs']);
  });

  it('keeps only resources of the key type from a prefetch Bundle and ignores outcome entries', async () => {
    const bundle = searchset([device('d1', '14106009', 'Cardiac pacemaker'), patient()]);
    const outcome: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'incomplete' }] };
    bundle.entry!.push({ resource: outcome, search: { mode: 'outcome' } });
    const request = hookRequest({ orders: [], prefetch: { devices: bundle } });
    const out = await buildPatientRecord(request, templates, new Set<DataKey>(['devices']), deps(recordingReader(async () => []).factory));
    expect(out.record.devices.map((d) => d.resourceType)).toEqual(['Device']);
  });

  it('gives up at the time budget even if a reader ignores its abort signal', async () => {
    const { factory } = recordingReader(() => new Promise(() => undefined)); // never settles
    const request = hookRequest({ orders: [], fhirServer: EHR });
    const out = await buildPatientRecord(request, templates, new Set<DataKey>(['devices', 'conditions']), deps(factory, 100));
    expect(Object.fromEntries(out.unavailable)).toEqual({ devices: { kind: 'timed-out', afterMs: 100 }, conditions: { kind: 'timed-out', afterMs: 100 } });
    expect(out.record.available.size).toBe(0);
  });

  it('marks keys unavailable without calling a server that is missing or not allowed', async () => {
    const { calls, factory } = recordingReader(async () => []);
    const none = await buildPatientRecord(hookRequest({ orders: [] }), templates, new Set<DataKey>(['devices']), deps(factory));
    expect(Object.fromEntries(none.unavailable)).toEqual({ devices: { kind: 'no-fhir-server' } });
    const other = await buildPatientRecord(hookRequest({ orders: [], fhirServer: 'https://evil.example/fhir' }), templates, new Set<DataKey>(['devices']), deps(factory));
    expect(Object.fromEntries(other.unavailable)).toEqual({ devices: { kind: 'fhir-server-not-allowed' } });
    expect(calls).toEqual([]);
  });
});
