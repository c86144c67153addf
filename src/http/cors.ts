import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * CORS for browser CDS clients such as the CDS Hooks sandbox (conformance checklist section 6.4):
 * preflight answered without credentials, Authorization allowed, and Chrome's Private Network Access
 * header so that the https sandbox may call a service on localhost.
 */
export function corsMiddleware(origins: '*' | readonly string[]): RequestHandler[] {
  const privateNetwork: RequestHandler = (req, res, next) => {
    if (req.method === 'OPTIONS' && req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    next();
  };
  return [
    privateNetwork,
    cors({
      origin: origins === '*' ? '*' : [...origins],
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['Content-Type', 'Authorization', 'Accept'],
      credentials: false,
      maxAge: 600,
      optionsSuccessStatus: 204,
    }),
  ];
}
