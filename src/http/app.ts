import express from 'express';
import type { Express, RequestHandler } from 'express';
import type { FeedbackDeps } from '../service/handle-feedback';
import type { HookDeps } from '../service/handle-hook';
import type { Config } from '../config';
import { cdsRoutes } from './cds-routes';
import { corsMiddleware } from './cors';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRoutes } from './health-routes';
import type { Readiness } from './health-routes';
import { requestId } from './request-id';
import { inputLimits } from '../security/input-limits';

export interface AppDeps extends HookDeps, FeedbackDeps {
  readonly config: Config;
  readonly readiness: Readiness;
  /** Extra routers mounted before the 404 handler (the analytics routes). */
  readonly extraRouters?: readonly RequestHandler[];
  /**
   * Runs before the body is parsed and before the CDS routes (client authentication, rate limit: see
   * src/security/security-policy.ts), so an unauthenticated caller never gets 5 MB parsed. /health,
   * /ready and CORS preflight are answered earlier and stay open.
   */
  readonly guards?: readonly RequestHandler[];
}

/** express wiring only: no listen, no globals, so tests drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestId);
  app.use(corsMiddleware(deps.config.corsOrigins));
  app.use(healthRoutes(deps.readiness));
  // Scoped to the CDS Hooks surface: other routers (analytics with its own admin token) are not CDS clients.
  for (const guard of deps.guards ?? []) app.use('/cds-services', guard);
  app.use(express.json({ limit: deps.config.bodyLimitBytes, type: ['application/json', 'application/*+json'], strict: true }));
  app.use(inputLimits({ maxDepth: deps.config.maxJsonDepth, maxBundleEntries: deps.config.maxBundleEntries }));
  app.use(cdsRoutes(deps));
  for (const router of deps.extraRouters ?? []) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
