import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { ConfigError } from '../config';
import type { Logger } from '../logging';
import { clientAuthentication } from './client-auth';
import { failureLimiter, rateLimiter } from './rate-limit';
import { RedisReplayCache } from './redis-replay-cache';
import { MemoryReplayCache } from './replay-cache';
import type { ReplayCache } from './replay-cache';
import { CDS_HOOKS_SANDBOX, loadTrustedClients } from './trusted-clients';
import type { TrustedClient } from './trusted-clients';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);
export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);

export type AuthMode = 'jwt' | 'open-loopback' | 'open-by-choice';

export interface SecuritySetup {
  readonly mode: AuthMode;
  readonly clients: readonly TrustedClient[];
  /** Said once at start-up (safe defaults: the log tells the operator what is and is not protected). */
  readonly notices: readonly { readonly level: 'info' | 'warn'; readonly message: string }[];
}

/**
 * Safe defaults: trusted clients mean JWT on every CDS endpoint; none means
 * unauthenticated calls, allowed only on loopback unless ALLOW_UNAUTHENTICATED=true. Throws ConfigError
 * (the service refuses to start) otherwise.
 */
export function securitySetup(config: Config, clientsFromFile?: readonly TrustedClient[]): SecuritySetup {
  const clients = [...(clientsFromFile ?? (config.clientsFile !== undefined ? loadTrustedClients(config.clientsFile) : []))];
  const notices: { level: 'info' | 'warn'; message: string }[] = [];
  if (config.trustCdsHooksSandbox) {
    clients.push(CDS_HOOKS_SANDBOX);
    notices.push({
      level: 'warn',
      message:
        'TRUST_CDS_HOOKS_SANDBOX=true: tokens from https://sandbox.cds-hooks.org are accepted. Its private key is PUBLIC, anyone can mint them: development only, never with real patient data.',
    });
  }
  if (clients.length > 0) {
    notices.push({ level: 'info', message: `JWT client authentication on: ${clients.length} trusted client(s)` });
    return { mode: 'jwt', clients, notices };
  }
  if (isLoopbackHost(config.host)) {
    notices.push({ level: 'warn', message: `No trusted CDS clients configured (CDS_CLIENTS_FILE): accepting UNAUTHENTICATED calls, bound to loopback ${config.host} only` });
    return { mode: 'open-loopback', clients, notices };
  }
  if (!config.allowUnauthenticated) {
    throw new ConfigError(
      `Refusing to start: HOST=${config.host} is not loopback and no trusted CDS clients are configured. Set CDS_CLIENTS_FILE (docs/security.md), bind to 127.0.0.1, or set ALLOW_UNAUTHENTICATED=true if another layer authenticates callers.`,
    );
  }
  notices.push({ level: 'warn', message: `ALLOW_UNAUTHENTICATED=true: accepting UNAUTHENTICATED calls on ${config.host}; FHIR servers limited to ALLOWED_FHIR_SERVERS` });
  return { mode: 'open-by-choice', clients, notices };
}

/**
 * The middleware that runs before the CDS routes: a per-IP limit on failed requests, authentication
 * (when on), then the per-client rate limit.
 */
export function securityGuards(config: Config, setup: SecuritySetup, log: Logger, replay?: ReplayCache): RequestHandler[] {
  const guards: RequestHandler[] = [];
  const failures = failureLimiter(config.rateLimitPerMinute);
  if (failures !== undefined) guards.push(failures);
  if (setup.mode === 'jwt') {
    guards.push(
      clientAuthentication({
        clients: setup.clients,
        ...(config.publicBaseUrl !== undefined ? { publicBaseUrl: config.publicBaseUrl } : {}),
        clockSkewS: config.jwtClockSkewS,
        maxLifetimeS: config.jwtMaxLifetimeS,
        jwksCooldownMs: config.jwksCooldownMs,
        replay: replay ?? (config.replayCacheRedisUrl !== undefined ? new RedisReplayCache(config.replayCacheRedisUrl) : new MemoryReplayCache(config.replayCacheSize)),
        log,
      }),
    );
  }
  const limiter = rateLimiter(config.rateLimitPerMinute);
  if (limiter !== undefined) guards.push(limiter);
  return guards;
}
