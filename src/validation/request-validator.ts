import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import feedbackSchema from '../cds/schemas/feedback.schema.json';
import hookRequestSchema from '../cds/schemas/hook-request.schema.json';
import type { FeedbackRequest, HookRequest } from '../cds/types';
import { badRequest } from '../errors';
import type { IssueInput } from '../errors';
import { errorPath, errorText } from './json-path';

/**
 * The wire schemas, compiled once when this module loads and never mutated (the counter-example is a
 * validator that rewrites its schema and recompiles per call: model-codebases.md section 4 item 4).
 */
// validateSchema: false: the wire schemas are repository files checked against the meta-schema by
// test/unit/schemas.test.ts, so start-up does not compile the meta-schema again (BENCHMARKS.md).
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);
const hookRequest: ValidateFunction<HookRequest> = ajv.compile<HookRequest>(hookRequestSchema);
const feedback: ValidateFunction<FeedbackRequest> = ajv.compile<FeedbackRequest>(feedbackSchema);

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

export function parseHookRequest(body: unknown): HookRequest {
  assertBodyIsObject(body);
  if (!hookRequest(body)) throw badRequest(issuesFrom(hookRequest.errors));
  return body;
}

export function parseFeedbackRequest(body: unknown): FeedbackRequest {
  assertBodyIsObject(body);
  if (!feedback(body)) throw badRequest(issuesFrom(feedback.errors));
  return body;
}
