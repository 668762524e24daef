/**
 * The one decision both enforcement points make: may this caller read this field, now?
 * The gateway calls it for every field of an operation before planning; each subgraph's
 * graphql-shield rules call it again for the fields it resolves. A row class
 * (`Licence[kind=MARRIAGE_CERTIFICATE]`) is decided the same way, by its coordinate; `rowDenial`
 * applies it to one row.
 */
import type { Caller, Decision, Denial, DenialReason, FieldPolicy, RowClassRef, RowCondition } from './model.ts';
import type { PolicySnapshot } from './snapshot.ts';

export function decideField(snapshot: PolicySnapshot, caller: Caller, coordinate: string, now = Date.now()): Decision {
  // `fields` answers row coordinates too: a row class is decided exactly like a field.
  const policy = snapshot.fields.get(coordinate);
  // A field the snapshot does not know (a subgraph published after this version was made) is
  // denied: fail closed. Root fields never reach here — they only route to entities.
  if (!policy) {
    return {
      allowed: false,
      denial: {
        coordinate, sharingClass: 'CONDITIONAL', reason: 'UNCLASSIFIED', basis: null, provider: 'unknown', howToApply: null, unclassified: true,
        message: `${coordinate} is not in policy version ${snapshot.version}; it cannot be read until its provider's schema is published and classified`,
      },
    };
  }
  // The provider always reads its own data, whatever the class.
  if (policy.provider === caller.department) return ALLOWED;

  switch (policy.sharingClass) {
    case 'NOT_SHARED':
      return deny(policy, 'NOT_SHARED', `${coordinate} is not shared with other departments`);
    case 'UNCONDITIONAL': {
      if (!purposeAllowed(policy, caller.purpose)) return purposeDenial(policy, caller.purpose);
      if (policy.caseIdRequired && !caller.caseId) return caseDenial(policy);
      return allowed(null, policy.condition);
    }
    case 'CONDITIONAL': {
      if (!purposeAllowed(policy, caller.purpose)) return purposeDenial(policy, caller.purpose);
      const grant = snapshot.grantFor(caller.department, coordinate, caller.purpose, now);
      if (!grant) {
        return deny(
          policy,
          policy.origin === 'UNCLASSIFIED' ? 'UNCLASSIFIED' : 'NO_GRANT',
          policy.origin === 'UNCLASSIFIED'
            ? `${coordinate} has not been classified by its provider (${policy.provider}); until it is, it is treated as conditional and your department (${caller.department}) holds no grant for it`
            : `${coordinate} is conditional and your department (${caller.department}) holds no grant for it for purpose ${caller.purpose}`,
        );
      }
      if (policy.caseIdRequired && !caller.caseId) return caseDenial(policy);
      return allowed(grant.id, policy.condition);
    }
    default:
      return unreachable(policy.sharingClass);
  }
}

/**
 * Why the caller may not see this row at all, or null: the row class its classifying field's
 * value falls in, decided for the caller (R1, at row level). A value no row class names is
 * governed by the field policies alone. `rowClasses`: the row classes of the row's type — a
 * subgraph passes those its own schema declares, so that a snapshot lacking one denies the
 * rows (an unknown coordinate is denied, as a field's is: fail closed). `decisions` is the
 * request's memo, by coordinate.
 */
export function rowDenial(
  snapshot: PolicySnapshot,
  caller: Caller,
  rowClasses: readonly RowClassRef[],
  row: object,
  decisions?: Map<string, Decision>,
  now = Date.now(),
): Denial | null {
  for (const rowClass of rowClasses) {
    if ((row as Readonly<Record<string, unknown>>)[rowClass.field] !== rowClass.value) continue;
    let decision = decisions?.get(rowClass.coordinate);
    if (!decision) {
      decision = decideField(snapshot, caller, rowClass.coordinate, now);
      decisions?.set(rowClass.coordinate, decision);
    }
    return decision.allowed ? null : decision.denial;
  }
  return null;
}

/** Whether the row's division lies inside the consumer's jurisdiction (R10 access control). */
export function withinJurisdiction(jurisdiction: string | null | undefined, divisionCode: string | null | undefined): boolean {
  if (!jurisdiction) return true;
  if (!divisionCode) return false;
  // 440000 covers 44xxxx, 440100 covers 4401xx, 440106 covers 440106 and its townships.
  const prefix = jurisdiction.replace(/(00)+$/, '');
  return divisionCode.startsWith(prefix);
}

export function outOfJurisdiction(snapshot: PolicySnapshot, caller: Caller, coordinate: string): Denial {
  const policy = snapshot.fields.get(coordinate)!;
  const jurisdiction = snapshot.department(caller.department)?.jurisdiction ?? null;
  return denial(policy, 'OUT_OF_JURISDICTION', `${coordinate} of this record is outside your department's jurisdiction (${jurisdiction})`);
}

const ALLOWED: Decision = Object.freeze({ allowed: true, grantId: null, rowCondition: null });

function allowed(grantId: string | null, rowCondition: RowCondition | null): Decision {
  return grantId === null && rowCondition === null ? ALLOWED : { allowed: true, grantId, rowCondition };
}

function purposeAllowed(policy: FieldPolicy, purpose: string): boolean {
  return policy.purposes.length === 0 || policy.purposes.includes(purpose);
}

function purposeDenial(policy: FieldPolicy, purpose: string): Decision {
  return deny(policy, 'PURPOSE_NOT_ALLOWED', `${policy.coordinate} may be read only for ${policy.purposes.join(', ')}; the declared purpose is ${purpose}`);
}

function caseDenial(policy: FieldPolicy): Decision {
  return deny(policy, 'CASE_ID_REQUIRED', `${policy.coordinate} may be read only for a matter: send its number in X-Case-Id`);
}

function deny(policy: FieldPolicy, reason: DenialReason, message: string): Decision {
  return { allowed: false, denial: denial(policy, reason, message) };
}

function denial(policy: FieldPolicy, reason: DenialReason, message: string): Denial {
  const conditional = policy.sharingClass === 'CONDITIONAL';
  return {
    coordinate: policy.coordinate,
    sharingClass: policy.sharingClass,
    reason,
    message,
    basis: policy.basis,
    provider: policy.provider,
    howToApply: conditional
      ? `apply through the platform for ${policy.coordinate}` +
        (policy.purposes.length ? ` for one of ${policy.purposes.join(', ')}` : '') +
        ` (admin API: applyForAccess; provider: ${policy.provider}; answered within the answer period the coordinating office sets, 10 working days by default, with the due date on the application — R5)`
      : null,
    unclassified: policy.origin === 'UNCLASSIFIED',
  };
}

function unreachable(value: never): never {
  throw new Error(`unreachable sharing class ${String(value)}`);
}
