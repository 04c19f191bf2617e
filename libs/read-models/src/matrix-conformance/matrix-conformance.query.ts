import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { MATRIX_CONFORMANCE_SCHEMA } from './matrix-conformance.projection.js';
import { READ_MODELS } from '@cadre/subscriptions/nest';
import { levelRank, type Level } from '@cadre/domain';
import { visibleAt, type PointInTime } from '../queries/index.js';

const S = MATRIX_CONFORMANCE_SCHEMA;

export type Conformance = 'conforms' | 'stricter' | 'below-baseline' | 'missing' | 'additional';

export interface MatrixCell {
  readonly role: string;
  readonly competency: string;
  readonly baselineLevel: Level | null;
  readonly level: Level | null;
  readonly source: string | null;
  readonly status: Conformance;
}

export interface JurisdictionMatrix {
  readonly jurisdiction: string;
  readonly adoptedVersion: string | null;
  readonly adoptedFrom: string | null;
  /** Every adoption in effect by `asOf`, as known at `knownAt`: which version, from when, until when. */
  readonly adoptions: readonly { version: string; from: string; to: string | null }[];
  readonly conforms: boolean;
  readonly matrix: readonly MatrixCell[];
}

export interface MatrixAnswer {
  readonly baseline: { version: string; publishedAt: string } | null;
  readonly jurisdictions: readonly JurisdictionMatrix[];
}

/** Compares each jurisdiction's requirements in force with the latest published framework version. */
@Injectable()
export class MatrixConformanceReadQuery {
  constructor(@Inject(READ_MODELS) private readonly readModels: DataSource) {}

  async answer(at: PointInTime, scope: readonly string[] | null): Promise<MatrixAnswer> {
    const p = [at.asOf, at.knownAt];
    const published: { version: string; valid_from: Date }[] = await this.readModels.query(
      `SELECT version, valid_from FROM ${S}.publications p WHERE ${visibleAt('p', '$1', '$2')}
       ORDER BY valid_from DESC, version DESC LIMIT 1`,
      p,
    );
    const baseline = published[0];
    const baselineRequirements: { role: string; competency: string; min_level: Level }[] = baseline
      ? await this.readModels.query(
          `SELECT role, competency, min_level FROM ${S}.framework_requirements WHERE version = $1`,
          [baseline.version],
        )
      : [];
    const codes: { entity: string }[] = await this.readModels.query(
      `SELECT DISTINCT entity FROM ${S}.jurisdiction_facts WHERE recorded_at <= $1
         AND ($2::text[] IS NULL OR entity = ANY($2::text[])) ORDER BY entity`,
      [at.knownAt, scope],
    );
    const jurisdictions = await Promise.all(
      codes.map(async ({ entity }): Promise<JurisdictionMatrix> => {
        const adoptions: { version: string; valid_from: Date; valid_to: Date | null }[] =
          await this.readModels.query(
            `SELECT version, valid_from, valid_to FROM ${S}.adoptions a WHERE a.entity = $3 AND a.valid_from <= $1
             AND a.recorded_at <= $2 AND (a.superseded_at IS NULL OR a.superseded_at > $2) ORDER BY valid_from`,
            [...p, entity],
          );
        const current = adoptions.find((a) => a.valid_to === null || a.valid_to > at.asOf);
        const inForce: { role: string; competency: string; min_level: Level; source: string }[] =
          await this.readModels.query(
            `SELECT role, competency, min_level, source FROM ${S}.requirements r
             WHERE r.entity = $3 AND ${visibleAt('r', '$1', '$2')}`,
            [...p, entity],
          );
        const matrix = compare(baselineRequirements, inForce);
        return {
          jurisdiction: entity,
          adoptedVersion: current?.version ?? null,
          adoptedFrom: current?.valid_from.toISOString() ?? null,
          adoptions: adoptions.map((a) => ({
            version: a.version,
            from: a.valid_from.toISOString(),
            to: a.valid_to === null || a.valid_to > at.asOf ? null : a.valid_to.toISOString(),
          })),
          conforms: matrix.every(
            (cell) =>
              cell.status === 'conforms' || cell.status === 'stricter' || cell.status === 'additional',
          ),
          matrix,
        };
      }),
    );
    return {
      baseline: baseline
        ? { version: baseline.version, publishedAt: baseline.valid_from.toISOString() }
        : null,
      jurisdictions: jurisdictions.filter((j) => j.adoptions.length > 0 || j.matrix.length > 0),
    };
  }
}

function compare(
  baseline: readonly { role: string; competency: string; min_level: Level }[],
  inForce: readonly { role: string; competency: string; min_level: Level; source: string }[],
): MatrixCell[] {
  const key = (r: { role: string; competency: string }) => `${r.role}\u0000${r.competency}`;
  const local = new Map(inForce.map((r) => [key(r), r]));
  const cells: MatrixCell[] = baseline.map((b) => {
    const j = local.get(key(b));
    local.delete(key(b));
    const status: Conformance = !j
      ? 'missing'
      : levelRank(j.min_level) > levelRank(b.min_level)
        ? 'stricter'
        : levelRank(j.min_level) < levelRank(b.min_level)
          ? 'below-baseline'
          : 'conforms';
    return {
      role: b.role,
      competency: b.competency,
      baselineLevel: b.min_level,
      level: j?.min_level ?? null,
      source: j?.source ?? null,
      status,
    };
  });
  for (const j of local.values())
    cells.push({
      role: j.role,
      competency: j.competency,
      baselineLevel: null,
      level: j.min_level,
      source: j.source,
      status: 'additional',
    });
  return cells.sort((a, b) => a.role.localeCompare(b.role) || a.competency.localeCompare(b.competency));
}
