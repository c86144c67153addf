import { Router } from 'express';
import { handleFeedback } from '../service/handle-feedback';
import type { FeedbackDeps } from '../service/handle-feedback';
import { handleHook } from '../service/handle-hook';
import type { HookDeps } from '../service/handle-hook';
import { callerOf } from '../security/caller';
import { discoveryDocument } from '../service/discovery';

/**
 * The CDS Hooks 2.0.1 HTTP surface. Each handler translates HTTP to a transport-free call and back;
 * clinical logic lives behind handleHook / handleFeedback.
 */
export function cdsRoutes(deps: HookDeps & FeedbackDeps): Router {
  const router = Router();
  const discovery = discoveryDocument(deps.content, deps.activeRules.map((a) => a.rule.code));

  // https://cds-hooks.hl7.org/2.0/#discovery
  router.get('/cds-services', (_req, res) => {
    res.json(discovery);
  });

  // https://cds-hooks.hl7.org/2.0/#calling-a-cds-service
  router.post('/cds-services/:id', async (req, res) => {
    const response = await handleHook(req.params.id, req.body, callerOf(res), deps);
    res.json(response);
  });

  // https://cds-hooks.hl7.org/2.0/#feedback
  router.post('/cds-services/:id/feedback', async (req, res) => {
    await handleFeedback(req.params.id, req.body, callerOf(res), deps);
    res.json({});
  });
  return router;
}
