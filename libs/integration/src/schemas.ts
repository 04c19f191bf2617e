import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CERTIFICATION_EVENT_TYPES, type CertificationEventType } from './certification-types.js';

/** The committed schema files: beside the sources, or from the repository root in a build. */
function schemasDirectory(): string {
  const candidates = [
    new URL('../schemas/', import.meta.url),
    new URL('../../../../libs/integration/schemas/', import.meta.url),
  ].map((url) => fileURLToPath(url));
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`the integration schemas are missing (looked in ${candidates.join(', ')})`);
  return found;
}

let loaded: Readonly<Record<CertificationEventType, Record<string, unknown>>> | undefined;

/**
 * The JSON Schema of each public type, as committed under libs/integration/schemas/ (one file per
 * type, frozen: a change is a new `.v2` type, never an edit).
 */
export function certificationSchemas(): Readonly<Record<CertificationEventType, Record<string, unknown>>> {
  if (!loaded) {
    const dir = schemasDirectory();
    loaded = Object.fromEntries(
      CERTIFICATION_EVENT_TYPES.map((type) => [
        type,
        JSON.parse(readFileSync(`${dir}/${type}.json`, 'utf8')) as Record<string, unknown>,
      ]),
    ) as Record<CertificationEventType, Record<string, unknown>>;
  }
  return loaded;
}
