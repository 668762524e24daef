/**
 * What a catalogue entry says, reduced to what a catalogue update must follow (R3): the
 * elements and items the department declares, and the effective policy of every item. Its
 * fingerprint is compared with the one last published; the difference names the causes.
 */
import { createHash } from 'node:crypto';
import type { PolicySnapshot } from '../../policies/snapshot.ts';
import type { ChangeCause } from './model.ts';
import type { CatalogueDefinition } from './placement.ts';

export interface ItemPolicyState {
  readonly sharingClass: string;
  readonly purposes: readonly string[];
  readonly caseIdRequired: boolean;
  readonly condition: string | null;
  readonly basis: string | null;
}

export interface EntryState {
  readonly definition: {
    readonly typeName: string;
    readonly provider: string;
    readonly name: string;
    readonly nameEn: string;
    readonly abstract: string | null;
    readonly updateCycle: string;
    /** `coordinate: type`, sorted. */
    readonly items: readonly string[];
    /** `coordinate method`, sorted. */
    readonly accessPoints: readonly string[];
  };
  readonly policies: Readonly<Record<string, ItemPolicyState>>;
}

export function entryState(definition: CatalogueDefinition, code: string, snapshot: PolicySnapshot): EntryState {
  const resource = definition.resources.find((r) => r.code === code);
  if (!resource) throw new Error(`entryState: no resource ${code} in the catalogue definition`);
  const items = definition.items.filter((i) => i.entryCode === code).sort((a, b) => a.coordinate.localeCompare(b.coordinate));
  const policies: Record<string, ItemPolicyState> = {};
  for (const item of items) {
    const policy = snapshot.fields.get(item.coordinate);
    if (!policy) {
      // Only while a just-published subgraph is not in the policy yet; reconcile waits for it.
      policies[item.coordinate] = { sharingClass: 'NOT_IN_POLICY', purposes: [], caseIdRequired: false, condition: null, basis: null };
      continue;
    }
    policies[item.coordinate] = {
      sharingClass: policy.sharingClass,
      purposes: [...policy.purposes].sort(),
      caseIdRequired: policy.caseIdRequired,
      condition: policy.condition ? `${policy.condition.kind}(${policy.condition.attribute})` : null,
      basis: policy.basis,
    };
  }
  return {
    definition: {
      typeName: resource.typeName,
      provider: resource.department,
      name: resource.name,
      nameEn: resource.nameEn,
      abstract: resource.abstract,
      updateCycle: resource.updateCycle,
      items: items.map((i) => `${i.coordinate}: ${i.graphqlType}`),
      accessPoints: definition.accessPoints.filter((a) => a.entryCode === code).map((a) => `${a.coordinate} ${a.method}`).sort(),
    },
    policies,
  };
}

/** JSON with object keys sorted, so equal states hash equally. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function fingerprintOf(state: EntryState): string {
  return createHash('sha256').update(stableJson(state)).digest('hex');
}

export interface StateDifference {
  readonly causes: readonly ChangeCause[];
  /** Coordinates whose policy changed, or that were added or removed. */
  readonly changedItems: readonly string[];
}

/** Why `after` differs from `before` (null: the entry did not exist / no longer exists). */
export function diffStates(before: EntryState | null, after: EntryState | null): StateDifference {
  if (!before && !after) return { causes: [], changedItems: [] };
  if (!before) return { causes: ['NEW_RESOURCE'], changedItems: Object.keys(after!.policies).sort() };
  if (!after) return { causes: ['WITHDRAWN'], changedItems: Object.keys(before.policies).sort() };
  const causes = new Set<ChangeCause>();
  const changed = new Set<string>();
  if (stableJson(before.definition) !== stableJson(after.definition)) causes.add('DEFINITION');
  for (const coordinate of new Set([...Object.keys(before.policies), ...Object.keys(after.policies)])) {
    const a = before.policies[coordinate];
    const b = after.policies[coordinate];
    if (!a || !b) {
      changed.add(coordinate);
      causes.add('DEFINITION');
      continue;
    }
    const { basis: basisA, ...ruleA } = a;
    const { basis: basisB, ...ruleB } = b;
    if (stableJson(ruleA) !== stableJson(ruleB)) {
      causes.add('POLICY');
      changed.add(coordinate);
    }
    if (basisA !== basisB) {
      causes.add('LEGAL_BASIS');
      changed.add(coordinate);
    }
  }
  return { causes: [...causes], changedItems: [...changed].sort() };
}
