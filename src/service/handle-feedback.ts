import type { Content } from '../content/types';
import { notFound } from '../errors';
import { parseFeedbackRequest } from '../cds-hooks/parse-request';
import type { Caller } from '../security/caller';
import type { AuditSink, FeedbackResult } from '../store/types';

export interface FeedbackDeps {
  readonly content: Content;
  readonly audit: AuditSink;
  readonly clock: () => Date;
}

/**
 * POST {base}/cds-services/{id}/feedback (CDS Hooks 2.0.1 section "Feedback"): validated, then stored
 * durably before the answer. The response code is not defined by the spec; we answer 200.
 */
export async function handleFeedback(serviceId: string, body: unknown, caller: Caller, deps: FeedbackDeps): Promise<FeedbackResult> {
  if (!deps.content.services.has(serviceId)) throw notFound(`No CDS Service with id "${serviceId}" (see GET /cds-services)`);
  const request = parseFeedbackRequest(body);
  return deps.audit.recordFeedback({
    serviceId,
    ...(caller.iss !== undefined ? { clientIss: caller.iss } : {}),
    ...(caller.tenant !== undefined ? { tenant: caller.tenant } : {}),
    receivedAt: deps.clock(),
    items: request.feedback,
  });
}
