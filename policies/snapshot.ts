/**
 * A policy snapshot: the effective policy of every field coordinate, the grants, the
 * departments' jurisdictions and the declared purposes, at one version. Built from the
 * subgraphs' SDL defaults plus the administrators' overrides; immutable; indexed for the
 * per-request decisions. Serializable, so the gateway can hand the same snapshot to the
 * subgraphs.
 */
import type { CatalogueField } from './fieldCatalog.ts';
import type { DepartmentScope, FieldPolicy, Grant, PolicyOverride } from './model.ts';

export interface SnapshotData {
  readonly version: number;
  readonly fields: readonly FieldPolicy[];
  readonly grants: readonly Grant[];
  readonly departments: readonly DepartmentScope[];
  readonly purposes: readonly string[];
}

export class PolicySnapshot {
  readonly version: number;
  readonly fields: ReadonlyMap<string, FieldPolicy>;
  readonly purposes: ReadonlySet<string>;
  private readonly grantsByKey: ReadonlyMap<string, readonly Grant[]>;
  private readonly departments: ReadonlyMap<string, DepartmentScope>;

  constructor(readonly data: SnapshotData) {
    this.version = data.version;
    this.fields = new Map(data.fields.map((f) => [f.coordinate, f]));
    this.purposes = new Set(data.purposes);
    const grants = new Map<string, Grant[]>();
    for (const grant of data.grants) {
      const key = grantKey(grant.consumer, grant.coordinate, grant.purpose);
      const list = grants.get(key);
      if (list) list.push(grant);
      else grants.set(key, [grant]);
    }
    this.grantsByKey = grants;
    this.departments = new Map(data.departments.map((d) => [d.code, d]));
  }

  /** A grant in force at `now` for this consumer, field and purpose, if any. */
  grantFor(consumer: string, coordinate: string, purpose: string, now: number): Grant | null {
    for (const grant of this.grantsByKey.get(grantKey(consumer, coordinate, purpose)) ?? []) {
      if (grant.revokedAt) continue;
      if (Date.parse(grant.validFrom) > now) continue;
      if (grant.validUntil && Date.parse(grant.validUntil) <= now) continue;
      return grant;
    }
    return null;
  }

  /** Grants of a consumer in force now, for `myAccess`. */
  grantsOf(consumer: string, now: number): Grant[] {
    return this.data.grants.filter(
      (g) => g.consumer === consumer && !g.revokedAt && Date.parse(g.validFrom) <= now && (!g.validUntil || Date.parse(g.validUntil) > now),
    );
  }

  department(code: string): DepartmentScope | undefined {
    return this.departments.get(code);
  }
}

function grantKey(consumer: string, coordinate: string, purpose: string): string {
  return `${consumer}\u0000${coordinate}\u0000${purpose}`;
}

/** Effective field policies: SDL default, then the override; key fields are unconditional; the rest unclassified. */
export function effectiveFieldPolicies(fields: readonly CatalogueField[], overrides: readonly PolicyOverride[]): FieldPolicy[] {
  const byCoordinate = new Map(overrides.map((o) => [o.coordinate, o]));
  return fields.map((field): FieldPolicy => {
    const base = { coordinate: field.coordinate, provider: field.department, subgraph: field.subgraph };
    const override = byCoordinate.get(field.coordinate);
    if (override) {
      return { ...base, sharingClass: override.sharingClass, purposes: override.purposes, basis: override.basis, caseIdRequired: override.caseIdRequired, condition: override.condition, origin: 'OVERRIDE' };
    }
    if (field.sharing) {
      return { ...base, ...field.sharing, condition: null, origin: 'SDL' };
    }
    if (field.isKey) {
      return { ...base, sharingClass: 'UNCONDITIONAL', purposes: [], basis: null, caseIdRequired: false, condition: null, origin: 'KEY' };
    }
    // A field nobody classified is treated as conditional and shown as unclassified.
    return { ...base, sharingClass: 'CONDITIONAL', purposes: [], basis: null, caseIdRequired: false, condition: null, origin: 'UNCLASSIFIED' };
  });
}
