/**
 * Policy history as changes: what one policy version changed against the one before it, field
 * by field, and the plan of reverting one version's change to one field.
 *
 * Glossary:
 * - override: what an administrator set for a field, in place of its SDL default; a version
 *   stores the whole set of overrides in force.
 * - change: one field whose override differs between two consecutive versions — SET (an
 *   override where the SDL default applied), CHANGED, or CLEARED (back to the SDL default).
 * - revert: a new version in which one field has the value it had before version N, every
 *   other field keeping its current value (unlike a rollback, which restores a whole version).
 */
import type { PolicyOverride } from '../../policies/model.ts';

export type FieldChangeKind = 'SET' | 'CHANGED' | 'CLEARED';

/** The parts of an override a change can touch, as the API names them. */
export type OverrideAttribute = 'sharingClass' | 'purposes' | 'basis' | 'caseIdRequired' | 'rowCondition';

export interface FieldChange {
  readonly coordinate: string;
  readonly kind: FieldChangeKind;
  /** null: the SDL default applied. */
  readonly before: PolicyOverride | null;
  readonly after: PolicyOverride | null;
  readonly attributes: readonly OverrideAttribute[];
}

/** A version as the history reads it. */
export interface VersionedOverrides {
  readonly version: number;
  readonly overrides: readonly PolicyOverride[];
}

/** The attributes in which two overrides differ (purposes compared as a set: their order means nothing). */
export function differingAttributes(a: PolicyOverride | null, b: PolicyOverride | null): OverrideAttribute[] {
  if (a === null && b === null) return [];
  if (a === null || b === null) return ['sharingClass', 'purposes', 'basis', 'caseIdRequired', 'rowCondition'].filter((name) => {
    const o = (a ?? b)!;
    // Against the SDL default every attribute the override holds counts as changed.
    return name === 'sharingClass' || (name === 'purposes' && o.purposes.length > 0) || (name === 'basis' && o.basis !== null)
      || (name === 'caseIdRequired' && o.caseIdRequired) || (name === 'rowCondition' && o.condition !== null);
  }) as OverrideAttribute[];
  const differ: OverrideAttribute[] = [];
  if (a.sharingClass !== b.sharingClass) differ.push('sharingClass');
  if ([...a.purposes].sort().join('\u0000') !== [...b.purposes].sort().join('\u0000')) differ.push('purposes');
  if ((a.basis ?? null) !== (b.basis ?? null)) differ.push('basis');
  if (a.caseIdRequired !== b.caseIdRequired) differ.push('caseIdRequired');
  if (JSON.stringify(a.condition ?? null) !== JSON.stringify(b.condition ?? null)) differ.push('rowCondition');
  return differ;
}

export function sameOverride(a: PolicyOverride | null, b: PolicyOverride | null): boolean {
  if (a === null || b === null) return a === b;
  return differingAttributes(a, b).length === 0;
}

export function overrideOf(overrides: readonly PolicyOverride[], coordinate: string): PolicyOverride | null {
  return overrides.find((o) => o.coordinate === coordinate) ?? null;
}

/** What `next` changed against `previous`, one entry per field, in coordinate order. */
export function changesBetween(previous: readonly PolicyOverride[], next: readonly PolicyOverride[]): FieldChange[] {
  const coordinates = [...new Set([...previous, ...next].map((o) => o.coordinate))].sort();
  const changes: FieldChange[] = [];
  for (const coordinate of coordinates) {
    const before = overrideOf(previous, coordinate);
    const after = overrideOf(next, coordinate);
    if (sameOverride(before, after)) continue;
    const kind: FieldChangeKind = before === null ? 'SET' : after === null ? 'CLEARED' : 'CHANGED';
    changes.push({ coordinate, kind, before, after, attributes: differingAttributes(before, after) });
  }
  return changes;
}

export interface RevertPlan {
  /** The value the field had before the reverted version (null: its SDL default). */
  readonly restores: PolicyOverride | null;
  /** The reverted version's change to the field. */
  readonly change: FieldChange;
  /** Later versions that changed the same field again, oldest first: a revert must be confirmed over them. */
  readonly laterChanges: readonly { readonly version: number; readonly change: FieldChange }[];
}

/**
 * Plans reverting `version`'s change to `coordinate`. `versions` holds that version, the one
 * before it (absent for version 1: nothing was overridden before) and every later one, in any
 * order. Returns a problem instead when the version did not change that field.
 */
export function planRevert(versions: readonly VersionedOverrides[], version: number, coordinate: string): RevertPlan | { problem: string } {
  const sorted = [...versions].sort((a, b) => a.version - b.version);
  const at = sorted.findIndex((v) => v.version === version);
  if (at < 0) return { problem: `there is no policy version ${version}` };
  const previous = at > 0 && sorted[at - 1]!.version === version - 1 ? sorted[at - 1]!.overrides : [];
  const change = changesBetween(previous, sorted[at]!.overrides).find((c) => c.coordinate === coordinate);
  if (!change) return { problem: `policy version ${version} did not change ${coordinate}; see policyHistory { version changes { coordinate } } for what it changed` };
  const laterChanges: { version: number; change: FieldChange }[] = [];
  for (let i = at + 1; i < sorted.length; i++) {
    const later = changesBetween(sorted[i - 1]!.overrides, sorted[i]!.overrides).find((c) => c.coordinate === coordinate);
    if (later) laterChanges.push({ version: sorted[i]!.version, change: later });
  }
  return { restores: change.before, change, laterChanges };
}

/** The overrides of a version in which `coordinate` has `value` (null: its SDL default) and every other field is left as it is. */
export function withFieldValue(overrides: readonly PolicyOverride[], coordinate: string, value: PolicyOverride | null): PolicyOverride[] {
  return [...overrides.filter((o) => o.coordinate !== coordinate), ...(value ? [value] : [])];
}
