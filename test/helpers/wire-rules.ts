import Ajv from 'ajv';
import type { ServiceRequest } from 'fhir/r4';
import responseSchema from '../../src/cds-hooks/schemas/cds-response.schema.json';
import type { Card, HookRequest, HookResponse } from '../../src/cds-hooks/types';

const ajv = new Ajv({ allErrors: true, strict: false });
const validateResponse = ajv.compile(responseSchema);

/** CDS Hooks 2.0.1 "Use of JSON": no null, "", [] or {} except cards: [] and systemActions: []. */
function emptyValues(value: unknown, path: string, out: string[]): void {
  if (value === null) out.push(`${path} is null`);
  else if (value === '') out.push(`${path} is an empty string`);
  else if (Array.isArray(value)) {
    if (value.length === 0 && !/^\$\.(cards|systemActions)$/.test(path)) out.push(`${path} is an empty array`);
    value.forEach((v, i) => emptyValues(v, `${path}[${i}]`, out));
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && path !== '$') out.push(`${path} is an empty object`);
    for (const [k, v] of entries) emptyValues(v, `${path}.${k}`, out);
  }
}

/**
 * The wire rules every response of every test is checked against (conformance checklist sections 4 and
 * 2b-D): schema (uuid v4 or v7, summary < 140, indicator, source.topic, selectionBehavior with suggestions,
 * action descriptions, delete by resourceId), no empty values, at most one recommended suggestion under
 * at-most-one, unique uuids, and actions that target orders present in the request's draftOrders.
 * Returns the list of violations (empty when the response is conformant).
 */
export function wireViolations(body: unknown, request?: HookRequest): string[] {
  const problems: string[] = [];
  if (!validateResponse(body)) {
    for (const e of validateResponse.errors ?? []) problems.push(`schema: ${e.instancePath || '$'} ${e.message ?? ''}`);
    return problems;
  }
  emptyValues(body, '$', problems);
  const response = body as unknown as HookResponse;
  const uuids = new Set<string>();
  const drafts = new Map<string, ServiceRequest>();
  for (const e of request?.context.draftOrders.entry ?? []) {
    const r = e.resource as ServiceRequest | undefined;
    if (r?.id !== undefined) drafts.set(`${r.resourceType}/${r.id}`, r);
  }
  response.cards.forEach((card: Card, i) => {
    if (uuids.has(card.uuid)) problems.push(`cards[${i}].uuid repeats`);
    uuids.add(card.uuid);
    const recommended = (card.suggestions ?? []).filter((s) => s.isRecommended === true).length;
    if (card.selectionBehavior === 'at-most-one' && recommended > 1) problems.push(`cards[${i}] recommends ${recommended} suggestions under at-most-one`);
    (card.suggestions ?? []).forEach((s, j) => {
      if (uuids.has(s.uuid)) problems.push(`cards[${i}].suggestions[${j}].uuid repeats`);
      uuids.add(s.uuid);
      for (const a of s.actions ?? []) {
        if (request === undefined) continue;
        const target = a.type === 'update' ? `${a.resource?.resourceType ?? ''}/${a.resource?.id ?? ''}` : a.resourceId;
        if ((a.type === 'update' || a.type === 'delete') && (target === undefined || !drafts.has(target))) {
          problems.push(`cards[${i}].suggestions[${j}] ${a.type} targets ${target ?? '?'}, which is not in draftOrders`);
        }
      }
    });
    for (const ref of card.extension['imaging-cds'].orders) {
      // an order without id is named by its position (src/orders/imaging-order.ts)
      const position = /^draftOrders\.entry\[(\d+)\]$/.exec(ref)?.[1];
      const named = position !== undefined ? Number(position) < (request?.context.draftOrders.entry ?? []).length : drafts.has(ref);
      if (request !== undefined && !named) problems.push(`cards[${i}].extension orders names ${ref}, not in draftOrders`);
    }
  });
  if (request?.hook === 'order-sign' && response.systemActions === undefined) problems.push('order-sign response has no systemActions');
  return problems;
}

/** jest helper: fails with the list of violations. */
export function expectWireValid(body: unknown, request?: HookRequest): HookResponse {
  expect(wireViolations(body, request)).toEqual([]);
  return body as HookResponse;
}

/** Every non-2xx body is a FHIR OperationOutcome with at least one issue carrying severity, code and text. */
export function expectOperationOutcome(body: unknown): { issue: { severity: string; code: string; diagnostics?: string; expression?: string[] }[] } {
  expect(body).toMatchObject({ resourceType: 'OperationOutcome' });
  const issues = (body as { issue?: unknown }).issue;
  expect(Array.isArray(issues) && issues.length > 0).toBe(true);
  for (const i of issues as { severity?: unknown; code?: unknown; diagnostics?: unknown }[]) {
    expect(['fatal', 'error', 'warning', 'information']).toContain(i.severity);
    expect(typeof i.code).toBe('string');
    expect(typeof i.diagnostics).toBe('string');
    expect(JSON.stringify(i)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack traces
  }
  return body as { issue: { severity: string; code: string; diagnostics?: string; expression?: string[] }[] };
}
