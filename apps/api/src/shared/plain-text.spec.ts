import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { PLAIN_TEXT_CONSTRAINT } from '@cadre/platform';
import * as backdatable from './backdatable.request.dto.js';
import * as framework from '../framework/framework.request.dto.js';
import * as jurisdiction from '../jurisdictions/jurisdiction.request.dto.js';
import * as programme from '../programmes/programme.request.dto.js';
import * as lapses from '../read-side/lapse-inbox/lapse-inbox.http.controller.js';
import * as records from '../records/void-record.request.dto.js';
import * as sessions from '../sessions/session.request.dto.js';
import * as certification from '../staff/certification.request.dto.js';
import * as staff from '../staff/staff.request.dto.js';
import * as teams from '../teams/team.request.dto.js';

/** Every class of a command body (and of the objects nested in one). */
const BODIES = [
  backdatable,
  framework,
  jurisdiction,
  programme,
  lapses,
  records,
  sessions,
  certification,
  staff,
  teams,
]
  .flatMap((module) => Object.values(module))
  .filter((value): value is new () => object => typeof value === 'function' && /Dto$/.test(value.name));

describe('command bodies', () => {
  it('are found', () => {
    expect(BODIES.length).toBeGreaterThan(20);
  });

  it('check every free-text field with @PlainText() (a field with a pattern is plain already)', () => {
    const unchecked: string[] = [];
    for (const body of BODIES) {
      const constraints = new Map<string, Set<string>>();
      for (const metadata of getMetadataStorage().getTargetValidationMetadatas(body, '', true, false)) {
        const names = constraints.get(metadata.propertyName) ?? new Set<string>();
        names.add(metadata.name ?? metadata.type);
        constraints.set(metadata.propertyName, names);
      }
      for (const [property, names] of constraints) {
        const text = names.has('isString') || names.has('isEmail');
        if (text && !names.has('matches') && !names.has(PLAIN_TEXT_CONSTRAINT)) {
          unchecked.push(`${body.name}.${property}`);
        }
      }
    }
    expect(unchecked).toEqual([]);
  });
});
