import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { RedisReplayCache } from '../../src/security/redis-replay-cache';
import { clientKey, createSecureApp, mintToken, trustedClient } from '../helpers/security';
import type { ClientKey } from '../helpers/security';

/**
 * The shared replay cache (REPLAY_CACHE_REDIS_URL) against the Redis on 127.0.0.1:6379 of this
 * environment (SKIP_REDIS_TESTS=1 where there is none): a token used on one instance is refused on
 * another, and an unreachable Redis fails closed.
 */
const REDIS = 'redis://127.0.0.1:6379/0';
const run = process.env['SKIP_REDIS_TESTS'] === '1' ? describe.skip : describe;

run('Redis replay cache', () => {
  let key: ClientKey;
  beforeAll(async () => {
    key = await clientKey('ES384');
  });

  it('remembers an id until it expires, atomically', async () => {
    const cache = new RedisReplayCache(REDIS);
    try {
      const id = `test-${randomUUID()}`;
      const [a, b] = await Promise.all([cache.remember(id, Date.now() + 60_000), cache.remember(id, Date.now() + 60_000)]);
      expect([a, b].sort()).toEqual([false, true]);
      const short = `test-${randomUUID()}`;
      expect(await cache.remember(short, Date.now() + 150)).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(await cache.remember(short, Date.now() + 60_000)).toBe(true);
    } finally {
      cache.close();
    }
  });

  it('refuses on a second instance a token already used on the first', async () => {
    const clients = [trustedClient({ jwks: { keys: [key.publicJwk] }, fhirServers: [] })];
    const one = createSecureApp(clients, { REPLAY_CACHE_REDIS_URL: REDIS });
    const two = createSecureApp(clients, { REPLAY_CACHE_REDIS_URL: REDIS });
    const token = await mintToken(key);
    await request(one.app).get('/cds-services').set('Authorization', `Bearer ${token}`).expect(200);
    await request(two.app).get('/cds-services').set('Authorization', `Bearer ${token}`).expect(401);
    // in-memory caches (the default) do not share: the same replay passes on an instance without Redis
    const three = createSecureApp(clients);
    await request(three.app).get('/cds-services').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('fails closed when Redis is unreachable', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, cb) => { lines.push(c.toString()); cb(); } }));
    const { app } = createSecureApp([trustedClient({ jwks: { keys: [key.publicJwk] }, fhirServers: [] })], { REPLAY_CACHE_REDIS_URL: 'redis://127.0.0.1:1' }, { log });
    await request(app).get('/cds-services').set('Authorization', `Bearer ${await mintToken(key)}`).expect(401);
    expect(lines.join('\n')).toContain('replay store unavailable');
  });
});
