import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** A correlation id per request (echoed as X-Request-Id) so a 500's text can be found in the logs. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
  res.locals['requestId'] = id;
  res.setHeader('X-Request-Id', id);
  next();
};
