import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', logLevel: 'info', fhirTimeBudgetMs: 2000, fhirPageLimit: 3, corsOrigins: '*', bodyLimitBytes: 5 * 1024 * 1024 });
    expect(c.allowedFhirServers).toEqual([]);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses and normalises lists and numbers from strings', () => {
    const c = loadConfig({ PORT: '8080', ALLOWED_FHIR_SERVERS: 'https://ehr.example.org/fhir/, http://localhost:8103/fhir', CORS_ORIGINS: 'https://a.example, https://b.example', DISABLED_RULES: 'mri-device' });
    expect(c.port).toBe(8080);
    expect(c.allowedFhirServers).toEqual(['https://ehr.example.org/fhir', 'http://localhost:8103/fhir']);
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.disabledRules).toEqual(['mri-device']);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be integer/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be equal to one of the allowed values/],
    [{ FHIR_TIME_BUDGET_MS: '10' }, /FHIR_TIME_BUDGET_MS must be >= 50/],
    [{ ALLOWED_FHIR_SERVERS: 'ftp://x.example' }, /ALLOWED_FHIR_SERVERS/],
  ])('rejects %p with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
