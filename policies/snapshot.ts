/**
 * A policy snapshot: the effective policy of every field coordinate and row class, the
 * grants, the departments' jurisdictions and the declared purposes, at one version. Built
 * from the subgraphs' SDL defaults plus the administrators' overrides; immutable; indexed for
 * the per-request decisions. Serializable, so the gateway can hand the same snapshot to the
 * subgraphs.
 */
import type { FieldUnderPolicy } from './fieldsUnderPolicy.ts';
import { parseRowCoordinate, type DepartmentScope, type FieldPolicy, type Grant, type PolicyOverride, type RowClassRef, type SharingClass } from './model.ts';

export type { RowClassRef } from './model.ts';

export interface SnapshotData {
  readonly version: number;
  /** Field policies and row classes (told apart by their coordinate's form, `Type[field=VALUE]`). */
  readonly fields: readonly FieldPolicy[];
  readonly grants: readonly Grant[];
  readonly departments: readonly DepartmentScope[];
  readonly purposes: readonly string[];
  /** The purposes' names (行政依据, Administrative basis), so a caller may declare one by name. Not sent to subgraphs. */
  readonly purposeNames?: readonly PurposeName[];
}

export interface PurposeName {
  readonly code: string;
  readonly name: string;
  readonly nameEn: string | null;
}

export class PolicySnapshot {
  readonly version: number;
  /**
   * The policy of a coordinate, field or row class: `get`/`has` answer both, so everything
   * that looks a coordinate up (grants, applications, overrides, denials' coordinates) treats a
   * row class like a field. Iterating lists the fields only: what lists fields (the catalogue's
   * placement, myAccess, reports) is about fields; `rowClasses` lists the row classes.
   */
  readonly fields: ReadonlyMap<string, FieldPolicy>;
  /** Row-class policies by row coordinate. */
  readonly rowClasses: ReadonlyMap<string, FieldPolicy>;
  readonly purposes: ReadonlySet<string>;
  /** Declarable purposes by code, Chinese name and English name (lower-cased): the code they stand for. */
  private readonly purposeLookup: ReadonlyMap<string, string>;
  private readonly grantsByKey: ReadonlyMap<string, readonly Grant[]>;
  private readonly departments: ReadonlyMap<string, DepartmentScope>;
  private readonly rowsByType: ReadonlyMap<string, readonly RowClassRef[]>;

  constructor(readonly data: SnapshotData) {
    this.version = data.version;
    const rows = new Map<string, FieldPolicy>();
    const rowsByType = new Map<string, RowClassRef[]>();
    const fields: [string, FieldPolicy][] = [];
    for (const policy of data.fields) {
      const row = parseRowCoordinate(policy.coordinate);
      if (!row) {
        fields.push([policy.coordinate, policy]);
        continue;
      }
      rows.set(policy.coordinate, policy);
      const list = rowsByType.get(row.typeName) ?? [];
      list.push({ coordinate: policy.coordinate, field: row.field, value: row.value });
      rowsByType.set(row.typeName, list);
    }
    this.rowClasses = rows;
    this.rowsByType = rowsByType;
    this.fields = new CoordinatePolicies(fields, rows);
    this.purposes = new Set(data.purposes);
    const lookup = new Map<string, string>();
    for (const p of data.purposeNames ?? []) {
      if (!this.purposes.has(p.code)) continue;
      lookup.set(p.name, p.code);
      if (p.nameEn) lookup.set(p.nameEn.toLowerCase(), p.code);
    }
    for (const code of data.purposes) lookup.set(code, code);
    this.purposeLookup = lookup;
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

  /** The declarable purpose a caller named by code, Chinese name or English name; null when none. */
  purposeNamed(text: string): string | null {
    return this.purposeLookup.get(text) ?? this.purposeLookup.get(text.toLowerCase()) ?? null;
  }

  /** `ADMINISTRATIVE_BASIS (行政依据)`: the declarable purposes as a person reads them. */
  purposeList(): string {
    const names = new Map((this.data.purposeNames ?? []).map((p) => [p.code, p.name]));
    return [...this.purposes].sort().map((code) => (names.get(code) ? `${code} (${names.get(code)})` : code)).join(', ');
  }

  department(code: string): DepartmentScope | undefined {
    return this.departments.get(code);
  }

  /** The row classes on rows of a type (`Licence`); empty for most types. */
  rowClassesOf(typeName: string): readonly RowClassRef[] {
    return this.rowsByType.get(typeName) ?? NO_ROWS;
  }
}

const NO_ROWS: readonly RowClassRef[] = Object.freeze([]);

/** Field policies that also answer `get`/`has` for row coordinates (see `PolicySnapshot.fields`). */
class CoordinatePolicies extends Map<string, FieldPolicy> {
  private readonly rows: ReadonlyMap<string, FieldPolicy>;

  constructor(fields: readonly [string, FieldPolicy][], rows: ReadonlyMap<string, FieldPolicy>) {
    super(fields);
    this.rows = rows;
  }

  override get(coordinate: string): FieldPolicy | undefined {
    return super.get(coordinate) ?? this.rows.get(coordinate);
  }

  override has(coordinate: string): boolean {
    return super.has(coordinate) || this.rows.has(coordinate);
  }
}

function grantKey(consumer: string, coordinate: string, purpose: string): string {
  return `${consumer}\u0000${coordinate}\u0000${purpose}`;
}

/**
 * Effective field policies: SDL default, then the override; key fields are unconditional; the
 * rest unclassified. Then the row classes the fields declare (SDL default, then the override),
 * each raised to at least the effective policy of the attribute it reveals.
 */
export function effectiveFieldPolicies(fields: readonly FieldUnderPolicy[], overrides: readonly PolicyOverride[]): FieldPolicy[] {
  const byCoordinate = new Map(overrides.map((o) => [o.coordinate, o]));
  const policies = fieldPoliciesOf(fields, byCoordinate);
  const byField = new Map(policies.map((p) => [p.coordinate, p]));
  for (const field of fields) {
    for (const row of field.rowClasses ?? []) {
      const override = byCoordinate.get(row.coordinate);
      const declared: FieldPolicy = {
        coordinate: row.coordinate, provider: field.department, subgraph: field.subgraph, condition: null,
        ...(override
          ? { sharingClass: override.sharingClass, purposes: override.purposes, basis: override.basis, caseIdRequired: override.caseIdRequired, origin: 'OVERRIDE' as const }
          : { sharingClass: row.sharing.sharingClass, purposes: row.sharing.purposes, basis: row.sharing.basis, caseIdRequired: row.sharing.caseIdRequired, origin: 'SDL' as const }),
      };
      const revealed = row.reveals ? byField.get(row.reveals) : undefined;
      policies.push(revealed ? atLeastAsRestrictedAs(declared, revealed) : declared);
    }
  }
  return policies;
}

const RESTRICTION: Readonly<Record<SharingClass, number>> = { UNCONDITIONAL: 0, CONDITIONAL: 1, NOT_SHARED: 2 };

/**
 * A row whose existence reveals an attribute is never easier to read than the attribute:
 * the stricter class, only purposes both allow, a case number if either asks for one. (Grants
 * stay by coordinate: a grant for the attribute is not one for the row, which says more.)
 */
export function atLeastAsRestrictedAs(row: FieldPolicy, attribute: FieldPolicy): FieldPolicy {
  let sharingClass = RESTRICTION[attribute.sharingClass] > RESTRICTION[row.sharingClass] ? attribute.sharingClass : row.sharingClass;
  let purposes = row.purposes.length === 0 ? attribute.purposes : attribute.purposes.length === 0 ? row.purposes : row.purposes.filter((p) => attribute.purposes.includes(p));
  // No purpose both allow: nobody outside the provider may read the row.
  if (row.purposes.length > 0 && attribute.purposes.length > 0 && purposes.length === 0) sharingClass = 'NOT_SHARED';
  if (sharingClass === 'NOT_SHARED') purposes = [];
  const basis = sharingClass === 'UNCONDITIONAL' ? row.basis : row.sharingClass === 'UNCONDITIONAL' || !row.basis ? attribute.basis : row.basis;
  return { ...row, sharingClass, purposes, basis, caseIdRequired: row.caseIdRequired || attribute.caseIdRequired };
}

function fieldPoliciesOf(fields: readonly FieldUnderPolicy[], byCoordinate: ReadonlyMap<string, PolicyOverride>): FieldPolicy[] {
  return fields.map((field): FieldPolicy => {
    // Issue 21: the provider's mandate mark (basic or licensing-related item) travels with the policy, whatever its origin.
    const mandate = field.sharing?.mandate;
    const base = { coordinate: field.coordinate, provider: field.department, subgraph: field.subgraph, ...(mandate ? { mandate } : {}) };
    const override = byCoordinate.get(field.coordinate);
    if (override) {
      return { ...base, sharingClass: override.sharingClass, purposes: override.purposes, basis: override.basis, caseIdRequired: override.caseIdRequired, condition: override.condition, origin: 'OVERRIDE' };
    }
    if (field.sharing) {
      const { sharingClass, purposes, basis, caseIdRequired } = field.sharing;
      return { ...base, sharingClass, purposes, basis, caseIdRequired, condition: null, origin: 'SDL' };
    }
    if (field.isKey) {
      return { ...base, sharingClass: 'UNCONDITIONAL', purposes: [], basis: null, caseIdRequired: false, condition: null, origin: 'KEY' };
    }
    // A field nobody classified is treated as conditional and shown as unclassified.
    return { ...base, sharingClass: 'CONDITIONAL', purposes: [], basis: null, caseIdRequired: false, condition: null, origin: 'UNCLASSIFIED' };
  });
}
