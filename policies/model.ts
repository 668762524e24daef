/**
 * The policy model, as data. The gateway's static check and every subgraph's graphql-shield
 * rules read the same `PolicySnapshot`, so one decision function serves both enforcement
 * points.
 *
 * Glossary:
 * - field coordinate: `Type.field`, the unit of sharing (`Person.householdAddress`).
 * - sharing class: UNCONDITIONAL (any department, for any allowed purpose), CONDITIONAL (only
 *   with a grant), NOT_SHARED (never to another department) — R1.
 * - provider: the department whose subgraph resolves the field; it always reads its own data.
 * - consumer: the department of the app that calls the gateway.
 * - purpose: the declared purpose of use sent as `X-Purpose` (R6).
 * - grant: consumer department × field coordinate × purpose × validity, from an approved
 *   application (R5).
 * - row condition: a rule decided where the data is, from the parent's value (e.g. only
 *   persons registered inside the consumer's jurisdiction).
 * - policy version: every change of field policies or grants makes a new snapshot version;
 *   a request is decided against exactly one version, at the gateway and in the subgraphs.
 * - row class: a policy on the rows of a type whose classifying field has one value
 *   (`Licence[kind=MARRIAGE_CERTIFICATE]`), for rows whose mere existence reveals a restricted
 *   attribute (a marriage certificate says its holder is married). It is a `FieldPolicy` in
 *   every other respect: sharing class, purposes, basis, grants by its coordinate, overrides.
 *   Rows the caller may not see are left out of lists and refused where asked for by number.
 * - row coordinate: `Type[field=VALUE]`, the coordinate of a row class.
 */

/** A row class's coordinate, taken apart. */
export interface RowCoordinate {
  readonly typeName: string;
  /** The classifying field (`kind`). */
  readonly field: string;
  /** The value of that field the class applies to (`MARRIAGE_CERTIFICATE`). */
  readonly value: string;
}

const ROW_COORDINATE = /^([A-Za-z_]\w*)\[([A-Za-z_]\w*)=([A-Za-z_]\w*)\]$/;

/** `Licence[kind=MARRIAGE_CERTIFICATE]` → its parts; null for a field coordinate or anything else. */
export function parseRowCoordinate(coordinate: string): RowCoordinate | null {
  const match = ROW_COORDINATE.exec(coordinate);
  return match ? { typeName: match[1]!, field: match[2]!, value: match[3]! } : null;
}

export function rowCoordinate(typeName: string, field: string, value: string): string {
  return `${typeName}[${field}=${value}]`;
}

/** The field a coordinate belongs with: itself, or a row class's classifying field (`Licence.kind`). */
export function classifyingCoordinate(coordinate: string): string {
  const row = parseRowCoordinate(coordinate);
  return row ? `${row.typeName}.${row.field}` : coordinate;
}

/** A row class of a type, as the enforcement points look it up. */
export interface RowClassRef {
  readonly coordinate: string;
  /** The classifying field (`kind`) and the value the class applies to. */
  readonly field: string;
  readonly value: string;
}

export const SHARING_CLASSES = ['UNCONDITIONAL', 'CONDITIONAL', 'NOT_SHARED'] as const;
export type SharingClass = (typeof SHARING_CLASSES)[number];

/** A condition decided in the subgraph from the parent object's value. */
export type RowCondition = {
  /** The consumer sees the row only when the row's division lies in the consumer's jurisdiction. */
  readonly kind: 'CONSUMER_JURISDICTION';
  /** A row attribute the subgraph exposes (`Person.householdDivision`): a division code. */
  readonly attribute: string;
};

/** Where a field's effective policy came from. */
export type PolicyOrigin = 'SDL' | 'OVERRIDE' | 'KEY' | 'UNCLASSIFIED';

export interface FieldPolicy {
  readonly coordinate: string;
  readonly sharingClass: SharingClass;
  /** Purposes the field may be read for; empty: any declared purpose. */
  readonly purposes: readonly string[];
  /** The legal basis; required for CONDITIONAL and NOT_SHARED (R1). */
  readonly basis: string | null;
  readonly caseIdRequired: boolean;
  readonly condition: RowCondition | null;
  readonly provider: string;
  readonly subgraph: string;
  readonly origin: PolicyOrigin;
  /**
   * The provider's mark that the item must be shared unconditionally (003 Guangdong art. 4):
   * absent when unmarked. Restricting it needs the coordinating office's override (issue 21).
   */
  readonly mandate?: ItemMandate;
}

/** The marks of an item that must be shared unconditionally (003 Guangdong art. 4; 002 art. 11). */
export const ITEM_MANDATES = ['BASIC_ITEM', 'LICENSING', 'PARALLEL_APPROVAL'] as const;
export type ItemMandate = (typeof ITEM_MANDATES)[number];

/** What an administrator sets for a field, overriding its SDL default. */
export interface PolicyOverride {
  readonly coordinate: string;
  readonly sharingClass: SharingClass;
  readonly purposes: readonly string[];
  readonly basis: string | null;
  readonly caseIdRequired: boolean;
  readonly condition: RowCondition | null;
}

export interface Grant {
  readonly id: string;
  readonly consumer: string;
  readonly coordinate: string;
  readonly purpose: string;
  /** ISO timestamps. */
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly revokedAt: string | null;
}

export interface DepartmentScope {
  readonly code: string;
  /** GB/T 2260 code of the area it serves (`440000` province, `440106` a district); null: no limit. */
  readonly jurisdiction: string | null;
}

/** Who asks, from where, for what: decided per request from the token and headers. */
export interface Caller {
  readonly department: string;
  readonly app: string;
  readonly purpose: string;
  readonly caseId: string | null;
}

export type DenialReason =
  | 'NOT_SHARED'
  | 'NO_GRANT'
  | 'PURPOSE_NOT_ALLOWED'
  | 'CASE_ID_REQUIRED'
  | 'OUT_OF_JURISDICTION'
  | 'UNCLASSIFIED';

export interface Denial {
  readonly coordinate: string;
  readonly sharingClass: SharingClass;
  readonly reason: DenialReason;
  readonly message: string;
  readonly basis: string | null;
  readonly provider: string;
  /** For conditional fields: how to obtain access. */
  readonly howToApply: string | null;
  readonly unclassified: boolean;
}

export type Decision =
  | { readonly allowed: true; readonly grantId: string | null; readonly rowCondition: RowCondition | null }
  | { readonly allowed: false; readonly denial: Denial };
