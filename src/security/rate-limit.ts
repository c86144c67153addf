import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { callerOf } from './caller';
import { tooManyRequests } from '../errors';

/**
 * Requests per minute per client: keyed by the authenticated `iss` (+ `tenant`), else by IP (IPv6 by /56
 * as express-rate-limit recommends). Answered 429 with an OperationOutcome via the one error handler.
 * In memory: per instance, like the replay cache (docs/security.md).
 */
export function rateLimiter(perMinute: number): RequestHandler | undefined {
  if (perMinute === 0) return undefined;
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req, res) => {
      const caller = callerOf(res);
      if (caller.iss !== undefined) return `client:${caller.iss}\u0000${caller.tenant ?? ''}`;
      return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (_req, _res, next) => {
      next(tooManyRequests());
    },
  });
}

/**
 * Runs before authentication, per IP, and counts only failed requests (status >= 400): a caller that
 * keeps presenting bad tokens or bad bodies is throttled before any signature check or JWKS fetch,
 * while a well-behaved EHR behind one NAT address never feels it.
 */
export function failureLimiter(perMinute: number): RequestHandler | undefined {
  if (perMinute === 0) return undefined;
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`,
    handler: (_req, _res, next) => {
      next(tooManyRequests());
    },
  });
}
