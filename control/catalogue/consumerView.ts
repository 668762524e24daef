/**
 * A consuming department's own view of the catalogue: per information item, whether it may
 * read it now (and for which purposes), may apply for it (how, and for which purposes — R5),
 * or may not have it at all (and on what legal basis — R1). Decided by `accessOf`, the same
 * decision function every request goes through, so the view never promises what a query would
 * deny.
 */
import type { AccessStatus, FieldAccess } from '../../policies/access.ts';
import type { SharingClass } from '../../policies/model.ts';
import type { CatalogueEntry, Freshness, UpdateCycle } from './model.ts';

/** Working days a provider has to answer an application (R5), by default; the management API shows the setting in force. */
export const APPLICATION_ANSWER_WORKING_DAYS = 10;

export interface ApplyPointer {
  /** The management API's mutation to call. */
  readonly mutation: 'applyForAccess';
  readonly endpoint: '/admin/graphql';
  readonly coordinate: string;
  readonly purposes: readonly string[];
  readonly provider: string;
  readonly answerWithinWorkingDays: number;
  /** A ready-to-fill call. */
  readonly example: string;
}

export interface ConsumerItem {
  readonly coordinate: string;
  readonly name: string | null;
  readonly nameEn: string;
  readonly sharingClass: SharingClass;
  readonly status: AccessStatus;
  readonly readableFor: readonly string[];
  readonly applicableFor: readonly string[];
  readonly basis: string | null;
  readonly condition: string;
  readonly caseIdRequired: boolean;
  readonly rowCondition: string | null;
  readonly unclassified: boolean;
  readonly apply: ApplyPointer | null;
}

export interface ConsumerEntry {
  readonly code: string;
  readonly resourceCode: string;
  readonly name: string;
  readonly nameEn: string;
  readonly provider: string;
  readonly updateCycle: UpdateCycle;
  readonly freshness: Freshness;
  readonly items: readonly ConsumerItem[];
  readonly counts: Readonly<Record<AccessStatus, number>>;
}

export function consumerView(entries: readonly CatalogueEntry[], access: readonly FieldAccess[]): ConsumerEntry[] {
  const byCoordinate = new Map(access.map((a) => [a.coordinate, a]));
  return entries.map((entry) => {
    const counts: Record<AccessStatus, number> = { OWN: 0, READ: 0, APPLY: 0, NOT_SHARED: 0 };
    // An item the policy does not know yet (a subgraph published a moment ago) is left out:
    // nobody may read it until it is in the policy.
    const items = entry.items.flatMap((item): ConsumerItem[] => {
      const a = byCoordinate.get(item.coordinate);
      if (!a) return [];
      counts[a.status]++;
      return [{
        coordinate: item.coordinate,
        name: item.name,
        nameEn: item.nameEn,
        sharingClass: a.sharingClass,
        status: a.status,
        readableFor: a.readableFor,
        applicableFor: a.applicableFor,
        basis: a.basis,
        condition: item.condition,
        caseIdRequired: a.caseIdRequired,
        rowCondition: a.rowCondition,
        unclassified: a.unclassified,
        apply: a.applicableFor.length > 0 ? applyPointer(item.coordinate, a.applicableFor, a.provider) : null,
      }];
    });
    return {
      code: entry.code, resourceCode: entry.resourceCode, name: entry.name, nameEn: entry.nameEn, provider: entry.provider.code,
      updateCycle: entry.updateCycle, freshness: entry.freshness, items, counts,
    };
  });
}

function applyPointer(coordinate: string, purposes: readonly string[], provider: string): ApplyPointer {
  return {
    mutation: 'applyForAccess',
    endpoint: '/admin/graphql',
    coordinate,
    purposes,
    provider,
    answerWithinWorkingDays: APPLICATION_ANSWER_WORKING_DAYS,
    example: `mutation { applyForAccess(input: { coordinates: ["${coordinate}"], purpose: "${purposes[0]}", justification: "…", legalBasis: "…", requestedUntil: "YYYY-MM-DD" }) { id status dueDate } }`,
  };
}
