/**
 * Two projects, as in fqm-execution: fast in-memory unit tests, and integration suites that boot the
 * app (supertest), an in-process FHIR server or a database. `npm test` runs both after a type check;
 * ts-jest only transpiles (isolatedModules), the type check is `tsc --noEmit`.
 * @type {import('jest').Config}
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', transform, testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/scenarios/**/*.test.ts'],
    },
  ],
};
