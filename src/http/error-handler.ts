import type { ErrorRequestHandler, RequestHandler } from 'express';
import { OutcomeError, badRequest, internalError, notFound, payloadTooLarge, unsupportedMediaType } from '../errors';
import type { Logger } from '../logging';

/** Errors thrown by express's body parser (http-errors), recognised by their documented `type`. */
function fromBodyParser(err: unknown): OutcomeError | undefined {
  const type = (err as { type?: unknown }).type;
  switch (type) {
    case 'entity.parse.failed':
      return badRequest([{ diagnostics: 'The request body is not valid JSON', expression: '(body)' }]);
    case 'entity.too.large':
      return payloadTooLarge('The request body is larger than this service accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return unsupportedMediaType('The request body must be UTF-8 JSON');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return badRequest([{ diagnostics: 'The request body could not be read', expression: '(body)' }]);
    default:
      return undefined;
  }
}

/**
 * The only place an error becomes HTTP: an OperationOutcome with the status its kind carries. Unknown
 * errors become a generic 500 with the request id; the log gets the error's name and message, never a
 * stack trace or a payload.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const requestId = String(res.locals['requestId'] ?? '');
    let outcome = err instanceof OutcomeError ? err : fromBodyParser(err);
    if (outcome === undefined) {
      log.error({ err, requestId, path: req.path }, 'unhandled error');
      outcome = internalError(requestId);
    } else if (outcome.status >= 500) {
      log.error({ requestId, status: outcome.status }, outcome.message);
    } else {
      log.info({ requestId, status: outcome.status, path: req.path, issues: outcome.outcome.issue.length }, 'request rejected');
    }
    if (res.headersSent) return;
    res.status(outcome.status).type('application/json').json(outcome.outcome);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(notFound(`No such endpoint: ${req.method} ${req.path}`));
};
