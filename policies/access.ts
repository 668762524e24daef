/**
 * What a department may read, for which purposes, and what needs an application — the
 * answer to `myAccess`, computed with the same decision function as every request.
 */
import { decideField } from './decide.ts';
import type { SharingClass } from './model.ts';
import type { PolicySnapshot } from './snapshot.ts';

export type AccessStatus = 'OWN' | 'READ' | 'APPLY' | 'NOT_SHARED';

export interface FieldAccess {
  readonly coordinate: string;
  readonly sharingClass: SharingClass;
  readonly provider: string;
  readonly status: AccessStatus;
  /** Purposes the department may read the field for now. */
  readonly readableFor: readonly string[];
  /** Purposes it may apply for (conditional fields). */
  readonly applicableFor: readonly string[];
  readonly basis: string | null;
  readonly unclassified: boolean;
  readonly caseIdRequired: boolean;
  readonly rowCondition: string | null;
}

export function accessOf(snapshot: PolicySnapshot, department: string, now = Date.now()): FieldAccess[] {
  const purposes = [...snapshot.purposes];
  const out: FieldAccess[] = [];
  for (const policy of snapshot.fields.values()) {
    const readableFor = purposes.filter((purpose) => decideField(snapshot, { department, app: '', purpose, caseId: 'any' }, policy.coordinate, now).allowed);
    const eligible = policy.purposes.length ? policy.purposes : purposes;
    const status: AccessStatus = policy.provider === department
      ? 'OWN'
      : policy.sharingClass === 'NOT_SHARED'
        ? 'NOT_SHARED'
        : readableFor.length === 0 && policy.sharingClass === 'CONDITIONAL' ? 'APPLY' : 'READ';
    out.push({
      coordinate: policy.coordinate,
      sharingClass: policy.sharingClass,
      provider: policy.provider,
      status,
      readableFor,
      applicableFor: policy.sharingClass === 'CONDITIONAL' ? eligible.filter((p) => !readableFor.includes(p)) : [],
      basis: policy.basis,
      unclassified: policy.origin === 'UNCLASSIFIED',
      caseIdRequired: policy.caseIdRequired,
      rowCondition: policy.condition ? `${policy.condition.kind}(${policy.condition.attribute})` : null,
    });
  }
  return out.sort((a, b) => a.coordinate.localeCompare(b.coordinate));
}
