import { loadServiceParts } from '../compose';
import { loadConfig } from '../config';

/**
 * `npm run validate:content`: loads cds-services/ and fhir-profiles/ exactly as start-up does and reports
 * the first problem (file and field), so an informaticist can check a change without running the service.
 */
try {
  const parts = loadServiceParts(loadConfig(process.env));
  process.stdout.write(
    `content OK: ${parts.content.services.size} services, ${parts.content.rules.size} rule files (${[...parts.content.rules.keys()].join(', ')})\n`,
  );
} catch (e) {
  process.stderr.write(`content invalid: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
