import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import draftServiceRequestSchema from './schemas/draft-service-request.schema.json';
import feedbackSchema from './schemas/feedback.schema.json';
import hookRequestSchema from './schemas/hook-request.schema.json';
import type { FeedbackRequest, HookRequest } from './types';
import { badRequest } from '../errors';
import type { IssueInput } from '../errors';
import { errorPath, errorText } from '../validation/issues';

/**
 * The wire schemas, compiled once when this module loads and never mutated, so no request pays for a
 * schema compilation.
 */
// validateSchema: false: the wire schemas are repository files checked against the meta-schema by
// test/unit/schemas.test.ts, so start-up does not compile the meta-schema again (docs/performance.md).
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);
const hookRequest: ValidateFunction<HookRequest> = ajv.compile<HookRequest>(hookRequestSchema);
const feedback: ValidateFunction<FeedbackRequest> = ajv.compile<FeedbackRequest>(feedbackSchema);
const draftServiceRequest: ValidateFunction = ajv.compile(draftServiceRequestSchema);

/** One issue per problem; ajv's schema-combinator noise (`if`, `anyOf` wrappers) is dropped. */
export function issuesFrom(errors: readonly ErrorObject[] | null | undefined, root = ''): IssueInput[] {
  const seen = new Set<string>();
  const out: IssueInput[] = [];
  for (const e of errors ?? []) {
    if (e.keyword === 'if' || e.keyword === 'anyOf' || e.keyword === 'allOf') continue;
    const path = errorPath(e, root);
    const text = errorText(e, path);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ diagnostics: text, expression: path });
  }
  return out;
}

function assertBodyIsObject(body: unknown): asserts body is Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest([{ diagnostics: 'The request body must be a JSON object (Content-Type: application/json)', expression: '(body)' }]);
  }
}

/**
 * FHIR JSON (R4 "JSON representation"): no null, "" , [] or {} inside a resource. Draft orders are echoed
 * back in `update` suggestions, and CDS Hooks "Use of JSON" forbids the same empty values in responses,
 * so an order carrying them is rejected here, naming the first offending path (found by the property
 * suite in test/integration/hostile-input.property.test.ts). Recursion is bounded: the input-limit walk
 * has refused anything deeper than MAX_JSON_DEPTH before this runs. Nothing is allocated on the way down;
 * the path is put together only for an offender, on the way back up.
 */
function emptyValueIn(value: unknown, root: string): string | undefined {
  const segments = emptyValueSegments(value);
  return segments === undefined ? undefined : root + segments.reverse().join('');
}

function emptyValueSegments(v: unknown): string[] | undefined {
  if (v === null || v === '') return [];
  if (typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return [];
    for (let i = 0; i < v.length; i += 1) {
      const found = emptyValueSegments(v[i]);
      if (found !== undefined) {
        found.push(`[${i}]`);
        return found;
      }
    }
    return undefined;
  }
  let empty = true;
  for (const key in v) {
    empty = false;
    const found = emptyValueSegments((v as Record<string, unknown>)[key]);
    if (found !== undefined) {
      found.push(`.${key}`);
      return found;
    }
  }
  return empty ? [] : undefined;
}

export function parseHookRequest(body: unknown): HookRequest {
  assertBodyIsObject(body);
  if (!hookRequest(body)) throw badRequest(issuesFrom(hookRequest.errors));
  const issues: IssueInput[] = [];
  (body.context.draftOrders.entry ?? []).forEach((entry, i) => {
    const root = `context.draftOrders.entry[${i}].resource`;
    if (entry.resource?.resourceType === 'ServiceRequest' && !draftServiceRequest(entry.resource)) issues.push(...issuesFrom(draftServiceRequest.errors, root));
    const path = emptyValueIn(entry.resource, root);
    if (path !== undefined) issues.push({ diagnostics: `${path} is empty or null, which FHIR JSON does not allow`, expression: path });
  });
  if (issues.length > 0) throw badRequest(issues);
  return body;
}

export function parseFeedbackRequest(body: unknown): FeedbackRequest {
  assertBodyIsObject(body);
  if (!feedback(body)) throw badRequest(issuesFrom(feedback.errors));
  return body;
}
