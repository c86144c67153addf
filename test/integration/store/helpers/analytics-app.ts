import express from 'express';
import { createAnalyticsRouter, type AnalyticsRouterDeps } from '../../../../src/http/analytics-routes';

/** The analytics router mounted the way the composition root mounts it (at the app root). */
export function analyticsApp(deps: AnalyticsRouterDeps): express.Express {
  const app = express();
  app.use(createAnalyticsRouter(deps));
  return app;
}
