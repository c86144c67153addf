import request from 'supertest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createStore } from '../../../src/store/create-store';
import { parseAnalyticsQuery, tokenMatches } from '../../../src/http/analytics-routes';
import type { AuditStore, RuleAnalyticsRow } from '../../../src/store/types';
import { analyticsApp } from './helpers/analytics-app';
import { EXPECTED_TOTALS, RULES, seedAnalytics } from './helpers/seed';

const TOKEN = 'analytics-admin-token-for-tests-0123456789';
const BASE = new Date('2026-11-02T00:00:00Z');
const NOW = () => new Date('2026-12-15T12:00:00Z');

describe('analytics router', () => {
  let store: AuditStore;
  beforeAll(async () => {
    store = await createStore({ sqlitePath: ':memory:', patientHashSecret: 'router-test-patient-hash-secret' });
    await seedAnalytics(store, BASE);
  });
  afterAll(() => store.close());

  const app = () => analyticsApp({ store, adminToken: TOKEN, now: NOW });

  describe('when no admin token is configured', () => {
    it.each(['/analytics', '/analytics/rules', '/analytics/assets/chart.umd.js'])('answers 404 OperationOutcome on %s', async (path) => {
      const res = await request(analyticsApp({ store, adminToken: undefined })).get(path).set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] });
    });
    it('treats an empty token as not configured', async () => {
      const res = await request(analyticsApp({ store, adminToken: '' })).get('/analytics/rules').set('Authorization', 'Bearer ');
      expect(res.status).toBe(404);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no header', undefined],
      ['a wrong token', `Bearer ${TOKEN}x`],
      ['a prefix of the token', `Bearer ${TOKEN.slice(0, 10)}`],
      ['another scheme', `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`],
    ])('answers 401 with an empty OperationOutcome for %s', async (_name, header) => {
      const req = request(app()).get('/analytics/rules?from=2026-11-01&to=2026-11-30&period=week');
      const res = await (header === undefined ? req : req.set('Authorization', header));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body).toEqual({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
    });
    it('authenticates before validating (no parameter feedback to anonymous callers)', async () => {
      const res = await request(app()).get('/analytics/rules?from=nonsense');
      expect(res.status).toBe(401);
    });
    it('accepts the token as a bearer credential only, never from the query string', async () => {
      const res = await request(app()).get(`/analytics/rules?token=${TOKEN}&access_token=${TOKEN}`);
      expect(res.status).toBe(401);
    });
    it('compares tokens by value', () => {
      expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
      expect(tokenMatches(`${TOKEN} `, TOKEN)).toBe(false);
      expect(tokenMatches('', TOKEN)).toBe(false);
    });
  });

  describe('validation', () => {
    it.each([
      ['from=2026-13-01', 'from'],
      ['from=2026-02-30', 'from'],
      ['from=01/11/2026', 'from'],
      ['to=yesterday', 'to'],
      ['period=year', 'period'],
      ['from=2026-11-30&to=2026-11-01', 'from'],
      ['from=2026-11-01&from=2026-11-02', 'from'],
      ['from=2020-01-01&to=2026-01-01&period=day', 'to'],
    ])('answers 400 OperationOutcome for %s', async (qs, param) => {
      const res = await request(app()).get(`/analytics/rules?${qs}`).set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.body).toEqual({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid', diagnostics: expect.any(String), expression: [param] }],
      });
    });
    it('defaults to the last 90 days by week', () => {
      const parsed = parseAnalyticsQuery({}, NOW());
      expect(parsed).toEqual({
        ok: true,
        from: '2026-09-17',
        to: '2026-12-15',
        query: { from: new Date('2026-09-17T00:00:00Z'), to: new Date('2026-12-16T00:00:00Z'), period: 'week' },
      });
    });
  });

  describe('GET /analytics/rules', () => {
    it('lists every ISO week of the range, including empty ones', async () => {
      const res = await request(app()).get('/analytics/rules?from=2026-12-28&to=2027-01-11&period=week').set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.body.periods).toEqual(['2026-W53', '2027-W01', '2027-W02']);
      expect(res.body.rules).toEqual([]);
    });
    it('returns per-rule, per-period figures with an inclusive "to" day', async () => {
      const res = await request(app())
        .get('/analytics/rules?from=2026-11-02&to=2026-12-01&period=month')
        .set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.from).toBe('2026-11-02');
      expect(res.body.to).toBe('2026-12-01');
      expect(res.body.period).toBe('month');
      expect(res.body.periods).toEqual(['2026-11', '2026-12']);
      const rows = res.body.rules as RuleAnalyticsRow[];
      // 2026-12-01 is the last included day, so the December card is in.
      expect(rows.map((r) => [r.period, r.rule, r.shown, r.accepted, r.overridden, r.ignored, r.overrideRate])).toEqual([
        ['2026-11', RULES.bilateral, 1, 1, 0, 0, 0],
        ['2026-11', RULES.petCt, 2, 1, 1, 0, 0.5],
        ['2026-11', RULES.duplicate, 4, 1, 2, 1, 0.5],
        ['2026-12', RULES.duplicate, 1, 0, 1, 0, 1],
      ]);
      const totals: Record<string, { shown: number; accepted: number; overridden: number; ignored: number }> = {};
      for (const r of rows) {
        const t = (totals[r.rule] ??= { shown: 0, accepted: 0, overridden: 0, ignored: 0 });
        t.shown += r.shown;
        t.accepted += r.accepted;
        t.overridden += r.overridden;
        t.ignored += r.ignored;
      }
      expect(totals).toEqual(EXPECTED_TOTALS);
    });
    it('answers 500 without detail when the store fails', async () => {
      const errors: unknown[] = [];
      const broken: AuditStore = { ...store, dialect: 'sqlite', ruleAnalytics: () => Promise.reject(new Error('SELECT secret FROM x')) } as AuditStore;
      const res = await request(analyticsApp({ store: broken, adminToken: TOKEN, onError: (e) => errors.push(e) }))
        .get('/analytics/rules')
        .set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toContain('secret');
      expect(errors).toHaveLength(1);
    });
  });

  describe('page and assets', () => {
    it('serves the page publicly with a same-origin-only CSP and no inline script', async () => {
      const res = await request(app()).get('/analytics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.text).toContain('<script src="/analytics/assets/chart.umd.js"></script>');
      expect(res.text).not.toMatch(/<script>(?!<)/);
      expect(res.text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    });
    it('serves the Chart.js UMD bundle from our own origin', async () => {
      const res = await request(app()).get('/analytics/assets/chart.umd.js');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      const expected = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
      expect(res.text).toBe(expected);
    });
    it.each(['/analytics/assets/analytics.js', '/analytics/assets/analytics.css'])('serves %s', async (path) => {
      const res = await request(app()).get(path);
      expect(res.status).toBe(200);
      expect(res.text.length).toBeGreaterThan(500);
    });
  });
});
