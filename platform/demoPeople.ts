/**
 * The demo's people (issue 14): one person per role — drafter (经办人), approver (审批人),
 * department administrator — in the departments whose workflows need them: the coordinating
 * office (arbitration, reclassification), psb (answers the pending hrss application), and the
 * consumers mca and hrss (apply). Names, not passwords: sign-in (control/signIn) gives them
 * local credentials. Their ids are fixed (`person-demo-<department>-<role>`), so the demo's
 * sign-in and the README can name them across restarts.
 */
import type { PersonRole, PlatformStore } from '../control/store/platformStore.ts';

export interface DemoPerson {
  readonly id: string;
  readonly department: string;
  readonly name: string;
  readonly roles: readonly PersonRole[];
}

const NAMES: Readonly<Record<string, Readonly<Record<PersonRole, string>>>> = {
  dgo: { DRAFTER: '周经办', APPROVER: '吴审批', ADMINISTRATOR: '郑管理' },
  psb: { DRAFTER: '王经办', APPROVER: '赵审批', ADMINISTRATOR: '孙管理' },
  mca: { DRAFTER: '陈经办', APPROVER: '林审批', ADMINISTRATOR: '黄管理' },
  hrss: { DRAFTER: '刘经办', APPROVER: '杨审批', ADMINISTRATOR: '何管理' },
};

/** Every demo person, one per role and department. */
export const DEMO_PEOPLE: readonly DemoPerson[] = Object.entries(NAMES).flatMap(([department, byRole]) =>
  (Object.entries(byRole) as [PersonRole, string][]).map(([role, name]) => ({ id: `person-demo-${department}-${role.toLowerCase()}`, department, name, roles: [role] })));

/** Adds the demo people not there yet (idempotent: a restart, or a data directory from before people, gets them once). */
export async function seedDemoPeople(store: PlatformStore, now: Date = new Date()): Promise<readonly DemoPerson[]> {
  const existing = new Set((await store.db.selectFrom('people').select('id').where('id', 'like', 'person-demo-%').execute()).map((r) => r.id));
  const departments = new Set((await store.departments()).map((d) => d.code));
  for (const p of DEMO_PEOPLE) {
    if (existing.has(p.id) || !departments.has(p.department)) continue;
    await store.db.insertInto('people').values({
      id: p.id, department: p.department, name: p.name, roles_json: JSON.stringify(p.roles), created_at: now.toISOString(), created_by: 'system:demo-seed',
      deactivated_at: null, deactivated_by: null, deactivation_reason: null,
    }).execute();
  }
  return DEMO_PEOPLE;
}
