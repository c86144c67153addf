import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createStore } from '../../../src/store/create-store';
import type { AuditStore } from '../../../src/store/types';
import { analyticsApp } from './helpers/analytics-app';
import { EXPECTED_TOTALS, RULES, seedAnalytics } from './helpers/seed';

/**
 * Renders the analytics page in headless Chromium (Debian `chromium` package) against a seeded
 * SQLite store. A missing browser fails the test unless SKIP_BROWSER_TESTS=1 is set explicitly.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skip = process.env.SKIP_BROWSER_TESTS === '1';
const TOKEN = 'analytics-admin-token-for-page-test-42';
const BASE = new Date('2026-11-02T00:00:00Z');
const ARTIFACTS = resolve(__dirname, '../../artifacts');

interface Rendered {
  chartTypes: (string | null)[];
  totals: Record<string, string>[];
  reasons: string[][];
  changes: string[][];
}

(skip ? describe.skip : describe)('analytics page in headless Chromium', () => {
  let store: AuditStore;
  let server: Server;
  let baseUrl: string;
  let browser: Browser;
  const apiRequests: { url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian chromium package or set SKIP_BROWSER_TESTS=1`);
    store = await createStore({ sqlitePath: ':memory:', patientHashSecret: 'page-test-patient-hash-secret' });
    await seedAnalytics(store, BASE);
    const app = analyticsApp({ store, adminToken: TOKEN });
    await new Promise<void>((done) => {
      server = app.listen(0, '127.0.0.1', () => done());
    });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    await store?.close();
  });

  it('draws the charts with Chart.js and shows the per-rule numbers', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const offOrigin: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(baseUrl)) offOrigin.push(r.url());
      if (r.url().includes('/analytics/rules')) apiRequests.push({ url: r.url(), authorization: r.headers()['authorization'] });
    });

    await page.goto(`${baseUrl}/analytics#token=${TOKEN}&from=2026-11-01&to=2026-12-31&period=week`);
    await page.waitForSelector('body[data-state="loaded"]', { timeout: 15_000 });
    // Evaluated in the page as source text: the project compiles without the DOM lib on purpose.
    const rendered = await page.evaluate<Rendered>(`(() => {
      const cells = (sel) => Array.from(document.querySelectorAll(sel)).map((tr) =>
        Array.from(tr.querySelectorAll('td')).map((td) => [td.getAttribute('data-col'), td.textContent]));
      return {
        chartTypes: ['outcomes-chart', 'rate-chart', 'trend-chart'].map((id) => {
          const chart = window.Chart.getChart(document.getElementById(id));
          return chart ? chart.config.type : null;
        }),
        totals: cells('#totals tbody tr').map((row) => Object.fromEntries(row)),
        reasons: cells('#reasons tbody tr').map((row) => row.map((c) => c[1])),
        changes: cells('#changes tbody tr').map((row) => row.map((c) => c[1])),
      };
    })()`);
    // Chart.js itself must report an instance on each canvas (not just an empty canvas).
    expect(rendered.chartTypes).toEqual(['bar', 'bar', 'line']);
    expect(rendered.totals).toEqual([
      { rule: RULES.duplicate, shown: '5', accepted: '1', overridden: '3', ignored: '1', 'override-rate': '60.0%' },
      { rule: RULES.petCt, shown: '2', accepted: '1', overridden: '1', ignored: '0', 'override-rate': '50.0%' },
      { rule: RULES.bilateral, shown: '1', accepted: '1', overridden: '0', ignored: '0', 'override-rate': '0.0%' },
    ]);
    for (const [rule, t] of Object.entries(EXPECTED_TOTALS)) {
      expect(rendered.totals.find((r) => r.rule === rule)).toMatchObject({
        shown: String(t.shown),
        accepted: String(t.accepted),
        overridden: String(t.overridden),
        ignored: String(t.ignored),
      });
    }
    expect(rendered.reasons).toEqual([
      [RULES.duplicate, 'Patient preference', 'patient-preference', '2'],
      [RULES.duplicate, 'Clinical judgement', 'clinical-judgement', '1'],
      [RULES.petCt, 'Clinical judgement', 'clinical-judgement', '1'],
    ]);
    expect(rendered.changes).toEqual([
      [RULES.duplicate, '70553', '(cancelled)', '1'],
      [RULES.petCt, '78811', '78814', '1'],
      [RULES.bilateral, '77046', '77047', '1'],
    ]);

    // The token went in the Authorization header, not the URL, and left the address bar.
    expect(apiRequests).toHaveLength(1);
    expect(apiRequests[0]?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(apiRequests[0]?.url).not.toContain(TOKEN);
    expect(page.url()).not.toContain(TOKEN);
    expect(offOrigin).toEqual([]);
    expect(consoleErrors).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'analytics.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('asks for the token again when it is rejected', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/analytics#token=wrong-token-0000000000`);
    await page.waitForSelector('body[data-state="error"]', { timeout: 15_000 });
    expect(await page.textContent('#status')).toBe('The token was not accepted.');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('body[data-state="loaded"]', { timeout: 15_000 });
    await context.close();
  }, 60_000);
});
