import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

/**
 * The one error model of the service: every failure that reaches a client is a FHIR OperationOutcome
 * (CDS Hooks 3.0 ballot: non-2xx responses SHOULD carry one; harmless in 2.0). The HTTP status is
 * chosen here, by error kind, never by reading message text, which would break silently when a message
 * is reworded. `src/http/error-handler.ts` is the only place that turns it into HTTP.
 */
export interface IssueInput {
  readonly diagnostics: string;
  /** JSON path of the offending element, e.g. `context.draftOrders.entry[0].resource`. */
  readonly expression?: string;
  readonly code?: OperationOutcomeIssue['code'];
  readonly severity?: OperationOutcomeIssue['severity'];
}

export function operationOutcome(issues: readonly IssueInput[], defaultCode: OperationOutcomeIssue['code']): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity ?? 'error',
      code: i.code ?? defaultCode,
      diagnostics: i.diagnostics,
      ...(i.expression !== undefined ? { expression: [i.expression] } : {}),
    })),
  };
}

export class OutcomeError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
  ) {
    super(outcome.issue.map((i) => i.diagnostics ?? i.code).join('; '));
    this.name = 'OutcomeError';
  }
}

/** 400: the request is malformed or violates the CDS Hooks contract; one issue per problem. */
export const badRequest = (issues: readonly IssueInput[]): OutcomeError =>
  new OutcomeError(400, operationOutcome(issues, 'invalid'));

/** 401: no detail for the caller (CDS Hooks best practice); the reason goes to the log only. */
export const unauthorized = (): OutcomeError =>
  new OutcomeError(401, operationOutcome([{ diagnostics: 'Authentication required', code: 'login' }], 'login'));

export const forbidden = (diagnostics: string): OutcomeError =>
  new OutcomeError(403, operationOutcome([{ diagnostics, code: 'forbidden' }], 'forbidden'));

export const notFound = (diagnostics: string): OutcomeError =>
  new OutcomeError(404, operationOutcome([{ diagnostics, code: 'not-found' }], 'not-found'));

export const payloadTooLarge = (diagnostics: string): OutcomeError =>
  new OutcomeError(413, operationOutcome([{ diagnostics, code: 'too-costly' }], 'too-costly'));

export const unsupportedMediaType = (diagnostics: string): OutcomeError =>
  new OutcomeError(415, operationOutcome([{ diagnostics, code: 'not-supported' }], 'not-supported'));

/** 412: CDS Hooks 2.0.1 SHALL, when needed data is neither in prefetch nor obtainable from the FHIR server. */
export const preconditionFailed = (issues: readonly IssueInput[]): OutcomeError =>
  new OutcomeError(412, operationOutcome(issues, 'incomplete'));

export const tooManyRequests = (): OutcomeError =>
  new OutcomeError(429, operationOutcome([{ diagnostics: 'Too many requests', code: 'throttled' }], 'throttled'));

export const unavailable = (diagnostics: string): OutcomeError =>
  new OutcomeError(503, operationOutcome([{ diagnostics, code: 'transient' }], 'transient'));

/** 500: a generic text plus the request id; never a stack trace or the internal message. */
export const internalError = (requestId: string): OutcomeError =>
  new OutcomeError(
    500,
    operationOutcome([{ diagnostics: `Internal error (request ${requestId})`, code: 'exception' }], 'exception'),
  );
