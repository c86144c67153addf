import { Router } from 'express';

export interface Readiness {
  /** False while starting or draining for shutdown: load balancers stop sending traffic. */
  ready(): boolean;
}

/** Liveness (`/health`: the process answers) and readiness (`/ready`: content loaded, not shutting down). */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', (_req, res) => {
    if (readiness.ready()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not-ready' });
  });
  return router;
}
