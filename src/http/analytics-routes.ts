import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express from 'express';
import type { Request, Response } from 'express';
import { periodsBetween } from '../store/store-support';
import type { AuditStore, RuleAnalyticsQuery } from '../store/types';
import { projectRoot } from '../project-root';

export interface AnalyticsRouterDeps {
  store: AuditStore;
  /** undefined or empty: analytics disabled, every /analytics route answers 404. */
  adminToken: string | undefined;
  /** Clock for the default date range; tests pin it. */
  now?: () => Date;
  /** Called with store failures behind a 500 (the response itself carries no detail). */
  onError?: (err: unknown) => void;
}

type IssueType = 'invalid' | 'login' | 'not-found' | 'exception';

interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: 'error'; code: IssueType; diagnostics?: string; expression?: string[] }[];
}

function outcome(code: IssueType, diagnostics?: string, expression?: string[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, ...(diagnostics !== undefined ? { diagnostics } : {}), ...(expression ? { expression } : {}) }],
  };
}

const PAGE_DIR = join('public', 'analytics');

/**
 * The page assets are plain files under public/analytics. tsc does not copy them to dist,
 * so they are located from the project root (the first ancestor holding them), which works from
 * src/ under ts-jest/tsx and from dist/src/ after a build. Deployments must ship that folder.
 */

interface Asset {
  body: Buffer;
  type: string;
}

function loadAssets(): Record<'page' | 'script' | 'style' | 'chart', Asset> {
  const pageDir = join(projectRoot(), PAGE_DIR);
  if (!existsSync(join(pageDir, 'index.html'))) throw new Error(`analytics page assets not found in ${pageDir}`);
  // chart.js only exports its module entry points; the UMD bundle sits next to the CJS one.
  const chartUmd = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
  return {
    page: { body: readFileSync(join(pageDir, 'index.html')), type: 'text/html; charset=utf-8' },
    script: { body: readFileSync(join(pageDir, 'analytics.js')), type: 'text/javascript; charset=utf-8' },
    style: { body: readFileSync(join(pageDir, 'analytics.css')), type: 'text/css; charset=utf-8' },
    chart: { body: readFileSync(chartUmd), type: 'text/javascript; charset=utf-8' },
  };
}

// Everything same-origin: no CDN, no inline script, nothing that could exfiltrate the token.
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Compares through SHA-256 digests so neither the content nor the length leaks through timing. */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 90;
const MAX_RANGE_DAYS: Record<RuleAnalyticsQuery['period'], number> = { day: 366, week: 3660, month: 3660 };

function parseDay(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  // Rejects 2026-02-30 and friends, which Date would silently roll over.
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value ? d : undefined;
}

type Parsed = { ok: true; query: RuleAnalyticsQuery; from: string; to: string } | { ok: false; body: OperationOutcome };

/** from/to are inclusive UTC days; the store takes a half-open interval, hence to + 1 day. */
export function parseAnalyticsQuery(q: Request['query'], now: Date): Parsed {
  const bad = (diagnostics: string, param: string): Parsed => ({ ok: false, body: outcome('invalid', diagnostics, [param]) });
  const single = (name: string): string | undefined | null => {
    const v = q[name];
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : null;
  };

  const period = single('period') ?? 'week';
  if (period !== 'day' && period !== 'week' && period !== 'month') return bad('period must be one of day, week, month', 'period');

  const toRaw = single('to');
  if (toRaw === null) return bad('to must be given once', 'to');
  const to = toRaw === undefined ? new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`) : parseDay(toRaw);
  if (to === undefined) return bad('to must be a calendar date YYYY-MM-DD', 'to');

  const fromRaw = single('from');
  if (fromRaw === null) return bad('from must be given once', 'from');
  const from = fromRaw === undefined ? new Date(to.getTime() - (DEFAULT_RANGE_DAYS - 1) * DAY_MS) : parseDay(fromRaw);
  if (from === undefined) return bad('from must be a calendar date YYYY-MM-DD', 'from');

  if (from > to) return bad('from must not be after to', 'from');
  const days = (to.getTime() - from.getTime()) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS[period]) return bad(`a ${period} breakdown covers at most ${MAX_RANGE_DAYS[period]} days`, 'to');

  return {
    ok: true,
    query: { from, to: new Date(to.getTime() + DAY_MS), period },
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
  };
}

export function createAnalyticsRouter(deps: AnalyticsRouterDeps): express.Router {
  const router = express.Router();
  const adminToken = deps.adminToken === undefined || deps.adminToken === '' ? undefined : deps.adminToken;
  const now = deps.now ?? (() => new Date());

  if (adminToken === undefined) {
    // Disabled: do not even read the assets, and do not advertise that the feature exists.
    router.use('/analytics', (_req: Request, res: Response) => {
      res.status(404).type('application/fhir+json').json(outcome('not-found'));
    });
    return router;
  }

  // Read once at start-up, not per request (and fail fast if a deployment forgot them).
  const assets = loadAssets();
  const send = (asset: Asset, extra: Record<string, string> = {}) => (_req: Request, res: Response) => {
    res.set({ 'Content-Type': asset.type, 'X-Content-Type-Options': 'nosniff', ...extra }).send(asset.body);
  };

  router.get('/analytics', send(assets.page, { 'Content-Security-Policy': PAGE_CSP, 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-cache' }));
  router.get('/analytics/assets/chart.umd.js', send(assets.chart, { 'Cache-Control': 'public, max-age=86400' }));
  router.get('/analytics/assets/analytics.js', send(assets.script, { 'Cache-Control': 'no-cache' }));
  router.get('/analytics/assets/analytics.css', send(assets.style, { 'Cache-Control': 'no-cache' }));

  router.get('/analytics/rules', async (req: Request, res: Response) => {
    res.set('Cache-Control', 'no-store');
    const token = bearerToken(req);
    // Authenticate before validating, so anonymous callers learn nothing about the API.
    if (token === undefined || !tokenMatches(token, adminToken)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="imaging-cds-analytics"').type('application/fhir+json').json(outcome('login'));
      return;
    }
    const parsed = parseAnalyticsQuery(req.query, now());
    if (!parsed.ok) {
      res.status(400).type('application/fhir+json').json(parsed.body);
      return;
    }
    try {
      const rules = await deps.store.ruleAnalytics(parsed.query);
      const { from, to, period } = parsed.query;
      res.json({ from: parsed.from, to: parsed.to, period, periods: periodsBetween(from, to, period), rules });
    } catch (err) {
      deps.onError?.(err);
      // No detail: the error text could carry SQL or connection strings.
      res.status(500).type('application/fhir+json').json(outcome('exception', 'analytics query failed'));
    }
  });

  return router;
}
