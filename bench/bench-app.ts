import express from 'express';
import type { Express } from 'express';

/**
 * The base of the bench's ceiling servers: express with the service's app
 * settings (src/http/app.ts: no x-powered-by, no ETag, the simple query parser) and the `/ready` route the
 * bench polls, so that they differ from the service only where they mean to.
 */
export function benchApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.get('/ready', (_req, res) => {
    res.json({ status: 'ready' });
  });
  return app;
}
