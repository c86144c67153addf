import type { Server } from 'node:http';
import { createAuditStore, hookDeps, loadServiceParts } from './compose';
import { loadConfig } from './config';
import { createApp } from './http/app';
import { createAnalyticsRouter } from './http/analytics-routes';
import { createLogger } from './logging';
import { startRetentionSchedule } from './store/retention';
import { securityGuards, securitySetup } from './security/security-policy';

/**
 * The composition root, and the only module with side effects: config -> content -> store -> app ->
 * listen -> graceful shutdown on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const config = loadConfig(process.env);
  const log = createLogger(config);
  // Safe defaults (docs/security.md): refuses to start open on a non-loopback address.
  const security = securitySetup(config);
  for (const notice of security.notices) log[notice.level]({ authMode: security.mode }, notice.message);
  const parts = loadServiceParts(config);
  for (const warning of config.storage.warnings) log.warn(warning);
  const store = await createAuditStore(config, log);
  const retention = startRetentionSchedule({
    store,
    retentionDays: config.storage.retentionDays,
    onPurged: (r) => log.info({ invocations: r.invocations, feedback: r.feedback, cutoff: r.cutoff }, 'retention purge'),
    onError: (err) => log.error({ err }, 'retention purge failed'),
  });
  let ready = false;
  const deps = hookDeps(config, parts, store, log);
  const analytics = createAnalyticsRouter({
    store,
    adminToken: config.storage.analyticsAdminToken,
    onError: (err) => log.error({ err }, 'analytics query failed'),
  });
  const app = createApp({
    ...deps,
    config,
    readiness: { ready: () => ready },
    guards: securityGuards(config, security, log),
    extraRouters: [analytics],
  });

  const server: Server = app.listen(config.port, config.host, () => {
    ready = true;
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    log.info(
      {
        host: config.host,
        port,
        services: [...parts.content.services.keys()],
        rules: deps.activeRules.map((r) => r.rule.code),
        store: store.dialect,
        authMode: security.mode,
        allowedFhirServers: security.mode === 'jwt' ? 'per client' : config.allowedFhirServers,
        startupMs: Number((process.hrtime.bigint() - startedAt) / 1_000_000n),
      },
      'imaging-cds listening',
    );
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // A client that trickles its body cannot hold a connection for Node's default 300 s (slow-body attacks);
  // a 5 MB hook request arrives in well under a second from an EHR.
  server.requestTimeout = 30_000;

  const shutdown = (signal: string): void => {
    if (!ready) return;
    ready = false;
    log.info({ signal }, 'shutting down: draining connections');
    const force = setTimeout(() => {
      log.warn('shutdown grace period over; closing remaining connections');
      server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    server.close(() => {
      retention.stop();
      void store.close().finally(() => {
        log.info('stopped');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  // Start-up failures (bad config, broken content file) name the file and field; no stack trace.
  process.stderr.write(`imaging-cds failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
