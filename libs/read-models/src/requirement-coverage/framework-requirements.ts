import type { RecordedEvent } from '@cadre/event-store';
import type { ProjectionTransaction } from '@cadre/subscriptions';
import type { HistorySpec, HistoryTable } from '../bitemporal/history-spec.js';
import { requirementTimeline } from './coverage.timelines.js';
import { columnsOf } from '../bitemporal/sql-rows.js';

export const JURISDICTION_TYPES = ['FrameworkAdopted', 'JurisdictionRequirementAdded'];

/** A jurisdiction's facts: the versions it adopted and the requirements it added. */
export const jurisdictionFactOf: HistorySpec['factOf'] = (event) =>
  JURISDICTION_TYPES.includes(event.type)
    ? {
        entity: String((event.data as { jurisdiction: string }).jurisdiction),
        data: event.data as Record<string, unknown>,
      }
    : null;

/**
 * The requirements in force in a jurisdiction (`entity`), from its facts with the adopted
 * versions' requirements (see {@link withAdoptedRequirements}): a history of the coverage and of
 * the matrix conformance alike.
 */
export const requirementsHistory: HistoryTable = {
  table: 'requirements',
  columns: columnsOf({
    role: 'text',
    competency: 'text',
    min_level: 'text',
    min_rank: 'int',
    source: 'text',
    framework_version: 'text',
  }),
  timeline: requirementTimeline,
};

/**
 * Each framework version's requirements (role, competency, minimum level), kept by the read models
 * that need them beside their histories: a published version is immutable, so a plain table does.
 */
export const frameworkRequirementsTableSql = (schema: string): string =>
  `CREATE TABLE IF NOT EXISTS ${schema}.framework_requirements (
    version text NOT NULL,
    role text NOT NULL,
    competency text NOT NULL,
    min_level text NOT NULL,
    PRIMARY KEY (version, role, competency)
  )`;

export async function recordFrameworkRequirements(
  events: readonly RecordedEvent[],
  tx: ProjectionTransaction,
): Promise<void> {
  const defined = events
    .filter((e) => e.type === 'RoleRequirementDefined')
    .map((e) => e.data as { version: string; role: string; competency: string; minLevel: string });
  if (defined.length === 0) return;
  await tx.query(
    `INSERT INTO ${tx.schema}.framework_requirements (version, role, competency, min_level)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (version, role, competency) DO UPDATE SET min_level = EXCLUDED.min_level`,
    [
      defined.map((d) => d.version),
      defined.map((d) => d.role),
      defined.map((d) => d.competency),
      defined.map((d) => d.minLevel),
    ],
  );
}

/**
 * A FrameworkAdopted fact carries the adopted (published, so immutable) version's requirements,
 * read from `framework_requirements` in `tx.schema`, so that the jurisdiction's timeline is pure.
 */
export function withAdoptedRequirements(
  events: readonly RecordedEvent[],
  tx: ProjectionTransaction,
): Promise<RecordedEvent[]> {
  return withAdopted(events, 'requirements', async (versions) => {
    const rows = await tx.query<{ version: string; role: string; competency: string; min_level: string }>(
      `SELECT version, role, competency, min_level FROM ${tx.schema}.framework_requirements WHERE version = ANY($1::text[])`,
      [versions],
    );
    return (version) =>
      rows
        .filter((row) => row.version === version)
        .map((row) => ({ role: row.role, competency: row.competency, minLevel: row.min_level }));
  });
}

/**
 * Adds `field` to each FrameworkAdopted event's data: what `read` (asked once for the batch's
 * adopted versions) gives for its version.
 */
async function withAdopted(
  events: readonly RecordedEvent[],
  field: 'requirements' | 'roles',
  read: (versions: string[]) => Promise<(version: string) => unknown>,
): Promise<RecordedEvent[]> {
  const versionOf = (event: RecordedEvent) => (event.data as { version: string }).version;
  const adopted = events.filter((e) => e.type === 'FrameworkAdopted');
  if (adopted.length === 0) return [...events];
  const valueFor = await read([...new Set(adopted.map(versionOf))]);
  return events.map((event) =>
    event.type === 'FrameworkAdopted'
      ? { ...event, data: { ...(event.data as object), [field]: valueFor(versionOf(event)) } }
      : event,
  );
}

/** Each framework version's roles (a published version is immutable, so a plain table does). */
export const frameworkRolesTableSql = (schema: string): string =>
  `CREATE TABLE IF NOT EXISTS ${schema}.framework_roles (
    version text NOT NULL,
    role text NOT NULL,
    title text NOT NULL,
    PRIMARY KEY (version, role)
  )`;

export async function recordFrameworkRoles(
  events: readonly RecordedEvent[],
  tx: ProjectionTransaction,
): Promise<void> {
  const defined = events
    .filter((e) => e.type === 'RoleDefined')
    .map((e) => e.data as { version: string; role: string; title: string });
  if (defined.length === 0) return;
  await tx.query(
    `INSERT INTO ${tx.schema}.framework_roles (version, role, title)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (version, role) DO UPDATE SET title = EXCLUDED.title`,
    [defined.map((d) => d.version), defined.map((d) => d.role), defined.map((d) => d.title)],
  );
}

/**
 * A FrameworkAdopted fact carries the adopted version's roles too (`{ role: { title } }`), read
 * from `framework_roles` in `tx.schema`: the qualification rule refuses a team role the version in
 * force does not define, so whoever judges from these facts needs them.
 */
export function withAdoptedRoles(
  events: readonly RecordedEvent[],
  tx: ProjectionTransaction,
): Promise<RecordedEvent[]> {
  return withAdopted(events, 'roles', async (versions) => {
    const rows = await tx.query<{ version: string; role: string; title: string }>(
      `SELECT version, role, title FROM ${tx.schema}.framework_roles WHERE version = ANY($1::text[])`,
      [versions],
    );
    return (version) =>
      Object.fromEntries(
        rows.filter((row) => row.version === version).map((row) => [row.role, { title: row.title }]),
      );
  });
}
